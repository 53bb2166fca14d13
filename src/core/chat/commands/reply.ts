import { channelName } from '../../conversations/channel-name.ts';
import { LAST_RELAY_WINDOW_MS, recentlyRelayedCustomers } from '../../conversations/last-relayed.ts';
import { MAX_REPLY_CHARS, replyToCustomer } from '../../conversations/reply.ts';
import { messages } from '../../kernel/i18n/index.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';
import { pickCustomer, reachOrReply, splitCustomerRef } from './customer-arg.ts';
import { confirmationReply, PENDING_TTL_MS, savePendingRequest } from './pending.ts';

/**
 * `/reply 回复 <customer> <text>` (also `回复 #12 …` without the slash, `回复 <text>` right after a relay, and the
 * text of a platform reply to a relayed message): sends the text to the customer where they last wrote, within the
 * platform's window, as the asker's.
 */
export const replyCommand: Command = {
  name: 'reply',
  aliases: ['回复'],
  ...helpOf('reply'),
  hints: ['回复', '答复', 'reply'],
  // The relay inbox chat is where staff answer the customers relayed there.
  staffOnlyChats: true,
  async run(ctx) {
    const args = ctx.args.trim();
    const { ref, rest } = splitCustomerRef(args);
    if (!ref) return usage(ctx, this.usage[ctx.lang]);
    const implied = await impliedCustomer(ctx, ref, rest);
    if (implied?.confirm) return confirmImplied(ctx, implied.customerId, args);
    if (implied) return send(ctx, `#${implied.customerId}`, args);
    if (!rest && !ctx.attachment) return `${usage(ctx, this.usage[ctx.lang])}\n${lastRelayHint(ctx)}`;
    return send(ctx, ref, rest);
  },
};

async function send(ctx: CommandContext, ref: string, text: string): Promise<string> {
  const found = await reachOrReply(ctx, ref);
  if (!found.customer) return ref.startsWith('#') ? found.reply : `${found.reply}\n${lastRelayHint(ctx)}`;
  const c = found.customer;
  const attachment = ctx.attachment && {
    ...ctx.attachment,
    platform: ctx.chat.platform,
    workspace: ctx.chat.workspace,
  };
  const outcome = await replyToCustomer(
    ctx.deps,
    { customer: found.reached, text, ...(attachment ? { attachment } : {}) },
    ctx.key,
  );
  const t = messages(ctx.lang).commands.reply;
  const who = `#${c.id} ${c.name}`;
  if (!outcome.ok) return t.refusals[outcome.reason]({ who, maxChars: MAX_REPLY_CHARS });
  ctx.queue(outcome.message);
  return t.sent(who, channelName(ctx.lang, outcome.route.platform, outcome.route.chatKind));
}

/**
 * `回复 <text>` right after a relay (chats without a platform reply, like WeCom's, have only this): the customer
 * last relayed to the asker, unless the first word names one customer. To be confirmed when it could be someone
 * else: several customers were relayed meanwhile, or the first word matches customers too.
 */
async function impliedCustomer(
  ctx: CommandContext,
  ref: string,
  rest: string,
): Promise<{ customerId: number; confirm: boolean } | null> {
  if (ref.startsWith('#')) return null;
  const recent = await recentlyRelayedCustomers(ctx.deps, ctx.staff.id);
  const [latest] = recent;
  if (latest === undefined) return null;
  const named = await pickCustomer(ctx.deps, ctx.viewer, ref);
  if (named.kind === 'one' && rest) return null;
  return { customerId: latest, confirm: recent.length > 1 || named.kind !== 'none' };
}

/** Holds the reply until the asker confirms which customer it goes to ("确认", or the card's button). */
async function confirmImplied(ctx: CommandContext, customerId: number, text: string) {
  const found = await reachOrReply(ctx, `#${customerId}`);
  if (!found.customer) return found.reply;
  const who = `#${found.customer.id} ${found.customer.name}`;
  const summary = messages(ctx.lang).commands.reply.confirmImplied(who, text, PENDING_TTL_MS / 60_000);
  const request = { staff: ctx.staff, chat: ctx.chat, text, key: ctx.key };
  const { row } = await savePendingRequest(
    ctx.deps,
    request,
    ctx.lang,
    [`/reply #${customerId} ${text}`],
    summary,
  );
  return confirmationReply(row.id, row.summary, [], ctx.lang).reply;
}

const lastRelayHint = (ctx: CommandContext): string =>
  messages(ctx.lang).commands.reply.lastRelayHint(LAST_RELAY_WINDOW_MS / 60_000);
