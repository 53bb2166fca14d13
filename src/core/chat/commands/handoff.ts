import { handOffSession } from '../../conversations/handoff.ts';
import { messages } from '../../kernel/i18n/index.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply } from './customer-arg.ts';

/**
 * `/handoff 转人工 <customer>`: the customer's WeChat Customer Service session goes to a person (the owner, or the
 * asker), who answers in WeCom's own client from then on.
 */
export const handoffCommand: Command = {
  name: 'handoff',
  aliases: ['转人工'],
  ...helpOf('handoff'),
  hints: ['转人工', '人工', 'handoff'],
  async run(ctx) {
    if (!ctx.args.trim()) return usage(ctx, this.usage[ctx.lang]);
    const found = await reachOrReply(ctx, ctx.args.trim());
    if (!found.customer) return found.reply;
    const c = found.customer;
    const t = messages(ctx.lang).commands.handoff;
    const who = `#${c.id} ${c.name}`;
    const outcome = await handOffSession(ctx.deps, found.reached, ctx.key);
    if (!outcome.ok) return outcome.reason === 'no_session' ? t.noSession(who) : t.noServicer(who);
    ctx.queue(outcome.action);
    return t.done(who, outcome.servicer.name);
  },
};
