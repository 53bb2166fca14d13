import { confirmationReply, PENDING_TTL_MS, savePendingRequest } from '../assistant/pending.ts';
import { channelName } from '../conversations/channel-name.ts';
import { LAST_RELAY_WINDOW_MS, recentlyRelayedCustomers } from '../conversations/last-relayed.ts';
import { MAX_REPLY_CHARS, type ReplyOutcome, replyToCustomer } from '../conversations/reply.ts';
import type { Lang } from '../i18n.ts';
import type { Command, CommandContext } from './command.ts';
import { usage } from './common.ts';
import { pickCustomer, reachOrReply, splitCustomerRef } from './customer-arg.ts';

/**
 * `/reply 回复 <customer> <text>` (also `回复 #12 …` without the slash, `回复 <text>` right after a relay, and the
 * text of a platform reply to a relayed message): sends the text to the customer where they last wrote, within the
 * platform's window, as the asker's.
 */
export const replyCommand: Command = {
  name: 'reply',
  aliases: ['回复'],
  usage: { zh: '/reply 回复 <客户> <内容>', en: '/reply <customer> <text>' },
  summary: { zh: '回复客户（发到客户最近联系的渠道）', en: 'answer a customer where they last wrote' },
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
    if (!rest && !ctx.attachment) return `${usage(ctx, this.usage[ctx.lang])}\n${lastRelayHint[ctx.lang]}`;
    return send(ctx, ref, rest);
  },
};

async function send(ctx: CommandContext, ref: string, text: string): Promise<string> {
  const found = await reachOrReply(ctx, ref);
  if (!found.customer)
    return ref.startsWith('#') ? found.reply : `${found.reply}\n${lastRelayHint[ctx.lang]}`;
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
  if (!outcome.ok) return refusal(ctx.lang, `#${c.id} ${c.name}`, outcome.reason);
  ctx.queue(outcome.message);
  const where = channelName(ctx.lang, outcome.route.platform, outcome.route.chatKind);
  return ctx.lang === 'zh'
    ? `已回复 #${c.id} ${c.name}（${where}）。`
    : `Sent to #${c.id} ${c.name} (${where}).`;
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
  const summary =
    ctx.lang === 'zh'
      ? `发给最近转来消息的客户 ${who}：\n${text}\n回复「确认」发送，「取消」放弃（${PENDING_TTL_MS / 60_000} 分钟内有效）。其他客户请用 /reply #编号 <内容>。`
      : `Send to ${who}, the customer last relayed to you:\n${text}\nReply "yes" to send or "cancel" to drop it (valid for ${PENDING_TTL_MS / 60_000} minutes). For someone else: /reply #id <text>.`;
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

const lastRelayHint: Record<Lang, string> = {
  zh: `（转来的客户消息 ${LAST_RELAY_WINDOW_MS / 60_000} 分钟内可直接发「回复 要说的话」回复该客户。）`,
  en: `(Within ${LAST_RELAY_WINDOW_MS / 60_000} minutes of a relayed message, "reply your text" answers that customer.)`,
};

type Refusal = Extract<ReplyOutcome, { ok: false }>['reason'];

function refusal(lang: Lang, who: string, reason: Refusal): string {
  const zh: Record<Refusal, string> = {
    no_channel: `${who} 没有可以回复的渠道：客户还没有通过机器人、微信客服或网页联系过我们。可以用 /remind 设提醒，稍后跟进。`,
    contact_only: `${who} 是企业微信联系人：请在企业微信里直接回复客户，或用 /remind 设提醒。`,
    outside_window: `${who} 的会话已超出平台的回复时限（微信客服 48 小时、Telegram Business 24 小时），需等客户再次发消息。可以用 /remind 设提醒。`,
    reply_limit: `${who} 在客户再次发消息之前最多还能收到 5 条消息（微信客服限制），现在已用完。`,
    empty: '请写上回复内容。',
    too_long: `回复最长 ${MAX_REPLY_CHARS} 字。`,
    key_reused: '这条请求已经发过另一段内容。',
    unknown_quick_reply:
      '没有这条快捷回复，未发送。发送 /快捷 列表 查看你可以用的快捷回复（用法：/reply #12 :price）。',
    attachment_elsewhere: `${who} 最近联系的渠道收不到这个附件：附件只能在同一个平台的机器人里原样转发。请改发文字，或在客户所在的平台里直接发送。`,
  };
  const en: Record<Refusal, string> = {
    no_channel: `${who} cannot be answered here: they have not written through the bot, WeChat Customer Service or the web chat. Set a reminder with /remind to follow up.`,
    contact_only: `${who} is a WeCom contact: answer them in WeCom itself, or set a reminder with /remind.`,
    outside_window: `${who}'s conversation is past the platform's reply window (WeChat Customer Service 48 h, Telegram Business 24 h); they must write again first. Set a reminder with /remind.`,
    reply_limit: `${who} may get at most 5 messages until they write again (WeChat Customer Service), and those are used up.`,
    empty: 'Say what to send.',
    too_long: `A reply is at most ${MAX_REPLY_CHARS} characters.`,
    key_reused: 'This request already sent another text.',
    unknown_quick_reply:
      'No such quick reply; nothing was sent. Send /quick list to see the ones you can use (e.g. /reply #12 :price).',
    attachment_elsewhere: `${who} cannot get this attachment where they last wrote: attachments go on only within the same platform's bot. Send text instead, or send it from the platform the customer uses.`,
  };
  return (lang === 'zh' ? zh : en)[reason];
}
