import { messages } from '../../kernel/i18n/index.ts';
import { formatAmount, parseAmount } from '../../records/customers/amount.ts';
import { recordDeal } from '../../records/customers/deal.ts';
import { findStage, stageChoices, stageName } from '../../records/customers/stages.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/**
 * `/deal 商机 <customer> <amount> <stage> [title]`: the customer's open opportunity moves to that amount and stage
 * (a new one is opened when none is); won and lost close it.
 */
export const dealCommand: Command = {
  name: 'deal',
  aliases: ['商机'],
  ...helpOf('deal'),
  hints: ['商机', '报价', '金额', 'deal'],
  async run(ctx) {
    const stages = ctx.deps.org.dealStages;
    const { ref, rest } = splitCustomerRef(ctx.args);
    const [amountText = '', stageText = '', ...titleWords] = rest.split(/\s+/).filter(Boolean);
    const help = `${usage(ctx, this.usage[ctx.lang])}\n${stageChoices(stages, ctx.lang)}`;
    if (!ref || !amountText || !stageText) return help;
    const t = messages(ctx.lang).commands.deal;
    const amount = parseAmount(amountText);
    if (amount === null) return t.badAmount(amountText);
    const stage = findStage(stages, stageText);
    if (!stage) return t.unknownStage(stageText, help);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const title = titleWords.join(' ');
    const { opened } = await recordDeal(
      ctx.deps,
      { customer: found.reached, amountMinor: amount, stage, ...(title ? { title } : {}) },
      ctx.key,
    );
    return t.recorded({
      updated: !opened,
      who: `#${c.id} ${c.name}`,
      amount: formatAmount(amount),
      stage: stageName(stages, stage.key, ctx.lang),
      probability: stage.probability,
    });
  },
};
