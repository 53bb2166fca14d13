import { messages } from '../../kernel/i18n/index.ts';
import { findChannelCode } from '../../marketing/attribution/codes.ts';
import { listChannelCodes } from '../../marketing/attribution/listing.ts';
import { referralCode } from '../../marketing/attribution/referral.ts';
import { kindName } from '../../records/customers/source-text.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';
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
  ...helpOf('channel'),
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
  const { colon } = messages(ctx.lang);
  const t = messages(ctx.lang).commands.channel;
  const codes = await listChannelCodes(ctx.deps.db, { viewer: ctx.viewer });
  if (codes.length === 0) return t.none;
  const lines = codes.slice(0, LISTED).map((c) => {
    const state = c.active === 1 ? '' : t.inactive;
    return `#${c.id} ${c.code}「${c.name}」${kindName(c.kind, ctx.lang)} · ${c.platform}${state}${colon}${t.counts(c.firstSourceCustomers, c.anySourceCustomers)}`;
  });
  const more = codes.length > LISTED ? [t.more(codes.length - LISTED)] : [];
  return [t.listHead, ...lines, ...more, t.listFoot].join('\n');
}

async function codeAnswer(ctx: CommandContext, ref: string): Promise<string> {
  const { colon } = messages(ctx.lang);
  const t = messages(ctx.lang).commands.channel;
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
    `${t.kind}${colon}${kindName(c.kind, ctx.lang)} · ${c.platform}`,
    `${t.owner}${colon}${c.staff_name ?? '—'}`,
    ...(referrer ? [`${t.referrer}${colon}#${referrer.id} ${referrer.display_name}`] : []),
    ...(ctx.deps.adapters.get(c.platform)?.channels?.by === 'chat' && c.platform_ref
      ? [`${t.chat}${colon}${c.platform_ref}`]
      : []),
    `${t.link}${colon}${c.link ?? '—'}`,
    `${t.customers}${colon}${t.counts(c.firstSourceCustomers, c.anySourceCustomers)}`,
  ].join('\n');
}

async function referralAnswer(ctx: CommandContext, ref: string): Promise<string> {
  const t = messages(ctx.lang).commands.channel;
  if (!ref) return usage(ctx, t.referralUsage);
  const found = await reachOrReply(ctx, ref);
  if (!found.customer) return found.reply;
  const customer = found.customer;
  const platform = ctx.chat.platform;
  const ways = ctx.deps.adapters.get(platform)?.channels;
  if (ways?.by === 'chat') return t.noFeishuLink;
  const outcome = await referralCode(ctx.deps, { customer: found.reached, platform });
  if (!outcome.ok) {
    if (outcome.status === 'refused') return t.refused(outcome.error);
    if (outcome.status === 'invalid' && outcome.field === 'staff') return t.noAccount(platform);
    return t.cannot(outcome.error);
  }
  const c = outcome.channel;
  return t.referral(`#${customer.id} ${customer.name}`, c.link ?? '—', ways?.linksAreQrCodes === true);
}
