import { formatAmount, parseAmount } from '../customers/amount.ts';
import { recordDeal } from '../customers/deal.ts';
import { findStage, stageChoices, stageName } from '../customers/stages.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/**
 * `/deal 商机 <customer> <amount> <stage> [title]`: the customer's open opportunity moves to that amount and stage
 * (a new one is opened when none is); won and lost close it.
 */
export const dealCommand: Command = {
  name: 'deal',
  aliases: ['商机'],
  usage: { zh: '/deal 商机 <客户> <金额> <阶段> [名称]', en: '/deal <customer> <amount> <stage> [title]' },
  summary: { zh: '记录商机（金额、阶段、赢率）', en: 'record an opportunity (amount, stage, probability)' },
  hints: ['商机', '报价', '金额', 'deal'],
  async run(ctx) {
    const stages = ctx.deps.org.dealStages;
    const { ref, rest } = splitCustomerRef(ctx.args);
    const [amountText = '', stageText = '', ...titleWords] = rest.split(/\s+/).filter(Boolean);
    const help = `${usage(ctx, this.usage[ctx.lang])}\n${stageChoices(stages, ctx.lang)}`;
    if (!ref || !amountText || !stageText) return help;
    const amount = parseAmount(amountText);
    if (amount === null) {
      return ctx.lang === 'zh'
        ? `金额「${amountText}」看不懂，例如 50000、5万、12k。`
        : `"${amountText}" is not an amount, e.g. 50000, 12k.`;
    }
    const stage = findStage(stages, stageText);
    if (!stage)
      return ctx.lang === 'zh'
        ? `没有「${stageText}」这个商机阶段。\n${help}`
        : `No deal stage "${stageText}".\n${help}`;
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const title = titleWords.join(' ');
    const { opened } = await recordDeal(
      ctx.deps,
      { customer: found.reached, amountMinor: amount, stage, ...(title ? { title } : {}) },
      ctx.key,
    );
    const open = !opened;
    const name = stageName(stages, stage.key, ctx.lang);
    return ctx.lang === 'zh'
      ? `商机已${open ? '更新' : '创建'}：#${c.id} ${c.name} · ${formatAmount(amount)} 元 · ${name}（赢率 ${stage.probability}%）`
      : `Deal ${open ? 'updated' : 'opened'}: #${c.id} ${c.name} · ${formatAmount(amount)} CNY · ${name} (${stage.probability}% likely)`;
  },
};
