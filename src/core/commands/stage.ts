import { changeStage } from '../customers/ownership-stage.ts';
import { findStage, stageChoices, stageName } from '../customers/stages.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

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
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const name = stageName(stages, stage.key, ctx.lang);
    if (c.stage === stage.key) {
      return ctx.lang === 'zh'
        ? `#${c.id} ${c.name} 已经是「${name}」阶段。`
        : `#${c.id} ${c.name} is already at "${name}".`;
    }
    await changeStage(ctx.deps, { customer: found.reached, stage: stage.key }, ctx.key);
    const from = stageName(stages, c.stage, ctx.lang);
    return ctx.lang === 'zh'
      ? `#${c.id} ${c.name}：${from} → ${name}`
      : `#${c.id} ${c.name}: ${from} → ${name}`;
  },
};
