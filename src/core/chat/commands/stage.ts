import { messages } from '../../kernel/i18n/index.ts';
import { changeStage } from '../../records/customers/ownership-stage.ts';
import { findStage, stageChoices, stageName } from '../../records/customers/stages.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/** `/stage 阶段 <customer> <stage>`: moves a customer along the lifecycle. */
export const stageCommand: Command = {
  name: 'stage',
  aliases: ['阶段'],
  ...helpOf('stage'),
  hints: ['阶段', '成交了', '流失', 'stage'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    const stages = ctx.deps.org.stages;
    if (!ref || !rest) return `${usage(ctx, this.usage[ctx.lang])}\n${stageChoices(stages, ctx.lang)}`;
    const t = messages(ctx.lang).commands.stage;
    const stage = findStage(stages, rest);
    if (!stage) return t.unknown(rest, stageChoices(stages, ctx.lang));
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const who = `#${c.id} ${c.name}`;
    const name = stageName(stages, stage.key, ctx.lang);
    if (c.stage === stage.key) return t.already(who, name);
    await changeStage(ctx.deps, { customer: found.reached, stage: stage.key }, ctx.key);
    return t.moved(who, stageName(stages, c.stage, ctx.lang), name);
  },
};
