import { channelName } from '../conversations/channel-name.ts';
import { MAX_REPLY_CHARS, type ReplyOutcome, replyToCustomer } from '../conversations/reply.ts';
import type { Lang } from '../i18n.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/**
 * `/reply 回复 <customer> <text>` (also `回复 #12 …` without the slash, and the text of a platform reply to a relayed
 * message): sends the text to the customer where they last wrote, within the platform's window, as the asker's.
 */
export const replyCommand: Command = {
  name: 'reply',
  aliases: ['回复'],
  usage: { zh: '/reply 回复 <客户> <内容>', en: '/reply <customer> <text>' },
  summary: { zh: '回复客户（发到客户最近联系的渠道）', en: 'answer a customer where they last wrote' },
  hints: ['回复', '答复', 'reply'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    if (!ref || !rest) return usage(ctx, this.usage[ctx.lang]);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const outcome = await replyToCustomer(ctx.deps, { customer: found.reached, text: rest }, ctx.key);
    if (!outcome.ok) return refusal(ctx.lang, `#${c.id} ${c.name}`, outcome.reason);
    ctx.queue(outcome.message);
    const where = channelName(ctx.lang, outcome.route.platform, outcome.route.chatKind);
    return ctx.lang === 'zh'
      ? `已回复 #${c.id} ${c.name}（${where}）。`
      : `Sent to #${c.id} ${c.name} (${where}).`;
  },
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
  };
  const en: Record<Refusal, string> = {
    no_channel: `${who} cannot be answered here: they have not written through the bot, WeChat Customer Service or the web chat. Set a reminder with /remind to follow up.`,
    contact_only: `${who} is a WeCom contact: answer them in WeCom itself, or set a reminder with /remind.`,
    outside_window: `${who}'s conversation is past the platform's reply window (WeChat Customer Service 48 h, Telegram Business 24 h); they must write again first. Set a reminder with /remind.`,
    reply_limit: `${who} may get at most 5 messages until they write again (WeChat Customer Service), and those are used up.`,
    empty: 'Say what to send.',
    too_long: `A reply is at most ${MAX_REPLY_CHARS} characters.`,
    key_reused: 'This request already sent another text.',
  };
  return (lang === 'zh' ? zh : en)[reason];
}
