import { handOffSession } from '../conversations/handoff.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply } from './customer-arg.ts';

/**
 * `/handoff 转人工 <customer>`: the customer's WeChat Customer Service session goes to a person (the owner, or the
 * asker), who answers in WeCom's own client from then on.
 */
export const handoffCommand: Command = {
  name: 'handoff',
  aliases: ['转人工'],
  usage: { zh: '/handoff 转人工 <客户>', en: '/handoff <customer>' },
  summary: {
    zh: '把微信客服会话转给人工（在企业微信客户端接待）',
    en: "hand a WeChat Customer Service session to a person (answered in WeCom's client)",
  },
  hints: ['转人工', '人工', 'handoff'],
  async run(ctx) {
    if (!ctx.args.trim()) return usage(ctx, this.usage[ctx.lang]);
    const found = await reachOrReply(ctx, ctx.args.trim());
    if (!found.customer) return found.reply;
    const c = found.customer;
    const zh = ctx.lang === 'zh';
    const outcome = await handOffSession(ctx.deps, found.reached, ctx.key);
    if (!outcome.ok)
      return outcome.reason === 'no_session'
        ? zh
          ? `#${c.id} ${c.name} 没有微信客服会话。`
          : `#${c.id} ${c.name} has no WeChat Customer Service session.`
        : zh
          ? `负责人和你都没有企业微信账号，无法接待 #${c.id} ${c.name} 的会话。`
          : `Neither the owner nor you has a WeCom account to take #${c.id} ${c.name}'s session.`;
    ctx.queue(outcome.action);
    return zh
      ? `已把 #${c.id} ${c.name} 的微信客服会话转给 ${outcome.servicer.name}，请在企业微信客户端接待。`
      : `#${c.id} ${c.name}'s WeChat Customer Service session goes to ${outcome.servicer.name}: answer in WeCom's client.`;
  },
};
