import { formatAmount, parseAmount } from '../customers/amount.ts';
import { findStage, stageChoices, stageName } from '../customers/stages.ts';
import { suggestStage } from '../intelligence/lifecycle.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import type { Command, CommandContext } from './command.ts';
import { auditCommand, usage } from './common.ts';
import { customerOrReply, splitCustomerRef } from './customer-arg.ts';

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
    const found = await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const { db, clock } = ctx.deps;
    const now = clock.now();
    const closedAt = stage.probability === 0 || stage.probability === 100 ? now : null;
    const open = await db
      .selectFrom('deals')
      .select(['id', 'title'])
      .where('customer_id', '=', c.id)
      .where('closed_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const title = titleWords.join(' ') || open?.title || c.name;
    const values = {
      amount_minor: amount,
      stage: stage.key,
      probability: stage.probability,
      title,
      updated_at: now,
      closed_at: closedAt,
    };
    let dealId = open?.id;
    if (open) await db.updateTable('deals').set(values).where('id', '=', open.id).execute();
    else {
      await db
        .insertInto('deals')
        .values({
          ...values,
          customer_id: c.id,
          currency: 'CNY',
          owner_staff_id: ctx.staff.id,
          created_at: now,
          request_key: ctx.key,
        })
        .onConflict((oc) => oc.column('request_key').doNothing())
        .execute();
      dealId = (
        await db.selectFrom('deals').select('id').where('request_key', '=', ctx.key).executeTakeFirst()
      )?.id;
    }
    const detail = { deal: dealId, amount: amount / 100, stage: stage.key, probability: stage.probability };
    await recordCustomerEvent(db, {
      customerId: c.id,
      key: `${ctx.key}:deal`,
      at: now,
      kind: 'deal_changed',
      platform: ctx.chat.platform,
      actorStaffId: ctx.staff.id,
      detail,
    });
    await auditCommand(ctx, { action: 'deal.saved', subjectKind: 'customer', subjectId: c.id, detail });
    if (stage.probability === 100) await stageFromDeals(ctx, c.id);
    const name = stageName(stages, stage.key, ctx.lang);
    return ctx.lang === 'zh'
      ? `商机已${open ? '更新' : '创建'}：#${c.id} ${c.name} · ${formatAmount(amount)} 元 · ${name}（赢率 ${stage.probability}%）`
      : `Deal ${open ? 'updated' : 'opened'}: #${c.id} ${c.name} · ${formatAmount(amount)} CNY · ${name} (${stage.probability}% likely)`;
  },
};

/** A first won deal makes a customer 成交 (won), a later one 复购 (repeat), unless a person set the stage. */
async function stageFromDeals(ctx: CommandContext, customerId: number): Promise<void> {
  const won = await ctx.deps.db
    .selectFrom('deals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('probability', '=', 100)
    .where('closed_at', 'is not', null)
    .executeTakeFirstOrThrow();
  await suggestStage(ctx.deps, customerId, Number(won.n) > 1 ? 'repeat' : 'won', `${ctx.key}:deal-stage`);
}
