import { findChannelCode } from '../attribution/codes.ts';
import { type ChannelCodeWithCounts, listChannelCodes } from '../attribution/listing.ts';
import { referralCode } from '../attribution/referral.ts';
import { kindName } from '../attribution/source-text.ts';
import type { Lang } from '../i18n.ts';
import type { Command, CommandContext } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply } from './customer-arg.ts';

const LISTED = 30;

/**
 * `/channel 渠道`: the channel codes (渠道活码) the asker reaches (a rep: their team's) with how many customers each brought;
 * `/channel 渠道 <code>`: one code's link, kind, rep and counts; `/channel 渠道 referral 推荐 <customer>` (anyone, for a
 * customer they may see): the customer's referral link (老客户推荐) on the asker's platform, made once.
 */
export const channelCommand: Command = {
  name: 'channel',
  aliases: ['渠道'],
  usage: {
    zh: '/channel 渠道 [代码] | /channel 渠道 推荐 <客户>',
    en: '/channel [code] | /channel referral <customer>',
  },
  summary: { zh: '渠道活码与老客户推荐', en: 'channel codes and customer referrals' },
  hints: ['渠道', '活码', '推荐', 'referral', 'channel'],
  async run(ctx) {
    // `/channel 渠道 …` names the command twice, as the usage line shows it.
    const args = ctx.args.replace(/^(渠道|channel)(?=\s|$)/i, '').trim();
    const referral = /^(referral|refer|推荐)(?:\s+([\s\S]*))?$/i.exec(args);
    if (referral) return referralAnswer(ctx, (referral[2] ?? '').trim());
    if (!args || /^(list|列表)$/i.test(args)) return listAnswer(ctx);
    return codeAnswer(ctx, args);
  },
};

async function listAnswer(ctx: CommandContext): Promise<string> {
  const t = text[ctx.lang];
  const codes = await listChannelCodes(ctx.deps.db, { viewer: ctx.viewer });
  if (codes.length === 0) return t.none;
  const lines = codes.slice(0, LISTED).map((c) => {
    const state = c.active === 1 ? '' : t.inactive;
    return `#${c.id} ${c.code}「${c.name}」${kindName(c.kind, ctx.lang)} · ${c.platform}${state}${t.colon}${t.counts(c)}`;
  });
  const more = codes.length > LISTED ? [t.more(codes.length - LISTED)] : [];
  return [t.listHead, ...lines, ...more, t.listFoot].join('\n');
}

async function codeAnswer(ctx: CommandContext, ref: string): Promise<string> {
  const t = text[ctx.lang];
  const found = await findChannelCode(ctx.deps.db, ref);
  // A referral code of a customer outside the asker's scope reads as unknown.
  const [c] = found ? await listChannelCodes(ctx.deps.db, { viewer: ctx.viewer, ids: [found.id] }) : [];
  if (!c) return t.unknown(ref);
  const referrer =
    c.referrer_customer_id === null
      ? undefined
      : await ctx.deps.db
          .selectFrom('customers')
          .select(['id', 'display_name'])
          .where('id', '=', c.referrer_customer_id)
          .executeTakeFirst();
  return [
    `${t.channel} ${c.code}「${c.name}」${c.active === 1 ? '' : t.inactive}`,
    `${t.kind}${t.colon}${kindName(c.kind, ctx.lang)} · ${c.platform}`,
    `${t.owner}${t.colon}${c.staff_name ?? '—'}`,
    ...(referrer ? [`${t.referrer}${t.colon}#${referrer.id} ${referrer.display_name}`] : []),
    ...(c.platform === 'feishu' && c.platform_ref ? [`${t.chat}${t.colon}${c.platform_ref}`] : []),
    `${t.link}${t.colon}${c.link ?? '—'}`,
    `${t.customers}${t.colon}${t.counts(c)}`,
  ].join('\n');
}

async function referralAnswer(ctx: CommandContext, ref: string): Promise<string> {
  const t = text[ctx.lang];
  if (!ref)
    return usage(ctx, ctx.lang === 'zh' ? '/channel 渠道 推荐 <客户>' : '/channel referral <customer>');
  const found = await reachOrReply(ctx, ref);
  if (!found.customer) return found.reply;
  const customer = found.customer;
  const platform = ctx.chat.platform;
  if (platform === 'feishu') return t.noFeishuLink;
  const outcome = await referralCode(ctx.deps, { customer: found.reached, platform });
  if (!outcome.ok) {
    if (outcome.status === 'refused') return t.refused(outcome.error);
    if (outcome.status === 'invalid' && outcome.field === 'staff') return t.noAccount(platform);
    return t.cannot(outcome.error);
  }
  const c = outcome.channel;
  return t.referral(`#${customer.id} ${customer.name}`, c.link ?? '—', platform === 'wecom');
}

const text: Record<
  Lang,
  {
    none: string;
    inactive: string;
    colon: string;
    counts: (c: ChannelCodeWithCounts) => string;
    more: (n: number) => string;
    listHead: string;
    listFoot: string;
    unknown: (ref: string) => string;
    channel: string;
    kind: string;
    owner: string;
    referrer: string;
    chat: string;
    link: string;
    customers: string;
    noFeishuLink: string;
    refused: (e: string) => string;
    noAccount: (platform: string) => string;
    cannot: (e: string) => string;
    referral: (who: string, link: string, qr: boolean) => string;
  }
> = {
  zh: {
    none: '还没有渠道活码。可通过 API（POST /api/channels）创建。',
    inactive: '（已停用）',
    colon: '：',
    counts: (c) => `首次来源 ${c.firstSourceCustomers} 人，累计 ${c.anySourceCustomers} 人`,
    more: (n) => `……另有 ${n} 个`,
    listHead: '渠道活码：',
    listFoot: '查看详情：/channel 渠道 <代码>',
    unknown: (ref) => `没有渠道「${ref}」。发送 /channel 渠道 查看全部。`,
    channel: '渠道',
    kind: '类型',
    owner: '负责人',
    referrer: '推荐人',
    chat: '绑定群',
    link: '链接',
    customers: '客户',
    noFeishuLink: '飞书没有可带参数的联系链接，无法生成推荐链接。请在企业微信或 Telegram 上使用此命令。',
    refused: (e) => `平台拒绝生成链接：${e}`,
    noAccount: (p) => `你还没有绑定 ${p} 账号，无法生成推荐链接。`,
    cannot: (e) => `无法生成推荐链接：${e}`,
    referral: (who, link, qr) =>
      `${who} 的老客户推荐${qr ? '二维码' : '链接'}：\n${link}\n新客户通过它联系你时，会记为 ${who} 推荐。`,
  },
  en: {
    none: 'No channel codes yet. Create them through the API (POST /api/channels).',
    inactive: ' (deactivated)',
    colon: ': ',
    counts: (c) => `first source of ${c.firstSourceCustomers}, source of ${c.anySourceCustomers} in all`,
    more: (n) => `…and ${n} more`,
    listHead: 'Channel codes:',
    listFoot: 'Details: /channel <code>',
    unknown: (ref) => `No channel "${ref}". Send /channel to see them all.`,
    channel: 'Channel',
    kind: 'Kind',
    owner: 'Rep',
    referrer: 'Referrer',
    chat: 'Bound chat',
    link: 'Link',
    customers: 'Customers',
    noFeishuLink:
      'Feishu has no contact link that carries a code, so there is no referral link there. Use this command in WeCom or Telegram.',
    refused: (e) => `The platform refused the link: ${e}`,
    noAccount: (p) => `You have no ${p} account linked, so no referral link can be made.`,
    cannot: (e) => `No referral link: ${e}`,
    referral: (who, link, qr) =>
      `Referral ${qr ? 'QR code' : 'link'} of ${who}:\n${link}\nNew customers who reach you through it are recorded as referred by ${who}.`,
  },
};
