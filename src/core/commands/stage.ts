import { findStage, stageChoices, stageName } from '../customers/stages.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import type { Command } from './command.ts';
import { auditCommand, usage } from './common.ts';
import { customerOrReply, splitCustomerRef } from './customer-arg.ts';

/** `/stage 阶段 <customer> <stage>`: moves a customer along the lifecycle. */
export const stageCommand: Command = {
  name: 'stage',
  aliases: ['阶段'],
  usage: { zh: '/stage 阶段 <客户> <阶段>', en: '/stage <customer> <stage>' },
  summary: { zh: '设置客户阶段', en: 'set the lifecycle stage' },
  hints: ['阶段', '成交了', '流失', 'stage'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    const stages = ctx.deps.org.stages;
    if (!ref || !rest) return `${usage(ctx, this.usage[ctx.lang])}\n${stageChoices(stages, ctx.lang)}`;
    const stage = findStage(stages, rest);
    if (!stage) {
      const list = stageChoices(stages, ctx.lang);
      return ctx.lang === 'zh'
        ? `没有「${rest}」这个阶段。可选：${list}`
        : `There is no stage "${rest}". Stages: ${list}`;
    }
    const found = await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const name = stageName(stages, stage.key, ctx.lang);
    if (c.stage === stage.key) {
      return ctx.lang === 'zh'
        ? `#${c.id} ${c.name} 已经是「${name}」阶段。`
        : `#${c.id} ${c.name} is already at "${name}".`;
    }
    const now = ctx.deps.clock.now();
    await ctx.deps.db
      .updateTable('customers')
      .set({ stage: stage.key, stage_source: 'manual', updated_at: now })
      .where('id', '=', c.id)
      .execute();
    await recordCustomerEvent(ctx.deps.db, {
      customerId: c.id,
      key: `${ctx.key}:stage`,
      at: now,
      kind: 'stage_changed',
      platform: ctx.chat.platform,
      actorStaffId: ctx.staff.id,
      detail: { from: c.stage, to: stage.key },
    });
    await auditCommand(ctx, {
      action: 'customer.stage_changed',
      subjectKind: 'customer',
      subjectId: c.id,
      detail: { from: c.stage, to: stage.key },
    });
    const from = stageName(stages, c.stage, ctx.lang);
    return ctx.lang === 'zh'
      ? `#${c.id} ${c.name}：${from} → ${name}`
      : `#${c.id} ${c.name}: ${from} → ${name}`;
  },
};
