import { messages } from '../../kernel/i18n/index.ts';
import { formatAmount } from '../../records/customers/amount.ts';
import { stageName } from '../../records/customers/stages.ts';
import { dealPipeline } from '../../records/deals/pipeline.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';

/**
 * `/pipeline 预测`: the weighted forecast of the open deals in the asker's scope (a rep's own and pool customers', a
 * manager's team's, everyone's for directors and admins): per currency and per stage, count, amount and
 * Σ amount × win probability. Private only: it sums customers' deals.
 */
export const pipelineCommand: Command = {
  name: 'pipeline',
  aliases: ['预测', '销售预测'],
  ...helpOf('pipeline'),
  hints: ['预测', '漏斗', 'pipeline', 'forecast'],
  async run(ctx) {
    if (ctx.args.trim()) return usage(ctx, this.usage[ctx.lang]);
    const t = messages(ctx.lang);
    const p = t.commands.pipeline;
    const forecast = await dealPipeline(ctx.deps, ctx.actor);
    if (forecast.length === 0) return p.none;
    const lines = [p.head];
    for (const c of forecast) {
      const money = (minor: number) => t.deals.money(formatAmount(minor), c.currency);
      lines.push(
        p.currency(c.currency, {
          count: c.count,
          amount: money(c.amountMinor),
          weighted: money(c.weightedMinor),
        }),
      );
      for (const s of c.stages)
        lines.push(
          p.stage(stageName(ctx.deps.org.dealStages, s.stage, ctx.lang), s.probability, {
            count: s.count,
            amount: money(s.amountMinor),
            weighted: money(s.weightedMinor),
          }),
        );
    }
    return lines.join('\n');
  },
};
