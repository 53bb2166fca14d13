import type { Lang } from '../i18n.ts';
import type { ReachedCustomer } from '../permissions/reach.ts';
import { createReminder } from '../reminders/create.ts';
import { parseWhen } from '../reminders/when.ts';
import { formatTime } from '../time/format.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/**
 * `/remind 提醒 [customer] <when> <text>`: a message to the asker at that time, in the organisation's time zone
 * ("明天10点", "周五", "in 2h", ISO). Without a customer it is a plain reminder.
 */
export const remindCommand: Command = {
  name: 'remind',
  aliases: ['提醒'],
  usage: { zh: '/remind 提醒 [客户] <时间> <内容>', en: '/remind [customer] <when> <text>' },
  summary: { zh: '到时提醒我（明天10点、周五、2小时后）', en: 'remind me (tomorrow 10am, friday, in 2h)' },
  hints: ['提醒', '回电', 'remind'],
  async run(ctx) {
    const { clock, org } = ctx.deps;
    const now = clock.now();
    const help = usage(ctx, this.usage[ctx.lang]);
    if (!ctx.args) return help;
    let when = parseWhen(ctx.args, now, org.timeZone);
    let customer: { id: number; name: string } | null = null;
    let reached: ReachedCustomer | null = null;
    if (!when) {
      const { ref, rest } = splitCustomerRef(ctx.args);
      when = parseWhen(rest, now, org.timeZone);
      if (!when) {
        return ctx.lang === 'zh'
          ? `看不懂提醒时间。例如：/remind 王芳 明天10点 回电、/remind 周五下午3点 报价、/remind in 2h call back\n${help}`
          : `I could not read the time. E.g. /remind Wang tomorrow 10am call back, /remind friday 3pm quote, /remind in 2h call\n${help}`;
      }
      const found = await reachOrReply(ctx, ref);
      if (!found.customer) return found.reply;
      customer = found.customer;
      reached = found.reached;
    }
    if (!when.rest)
      return ctx.lang === 'zh' ? `请写上提醒内容。\n${help}` : `Say what to remind you of.\n${help}`;
    const made = await createReminder(
      ctx.deps,
      ctx.actor,
      { customer: reached, dueAt: when.at, text: when.rest, platform: ctx.chat.platform },
      ctx.key,
    );
    if (!made.ok) return refusals[ctx.lang][made.reason];
    const at = formatTime(when.at, now, org.timeZone);
    const about = customer ? ` #${customer.id} ${customer.name}` : '';
    return ctx.lang === 'zh'
      ? `好的，${at} 提醒你：${when.rest}${about ? `（${about.trim()}）` : ''}`
      : `OK, I will remind you at ${at}: ${when.rest}${about ? ` (${about.trim()})` : ''}`;
  },
};

const refusals: Record<Lang, Record<'not_staff' | 'in_the_past' | 'too_far', string>> = {
  zh: {
    not_staff: '只有员工可以设置提醒。',
    in_the_past: '这个时间已经过去了，请给一个将来的时间。',
    too_far: '提醒最多设在一年以内。',
  },
  en: {
    not_staff: 'Only staff set reminders.',
    in_the_past: 'That time has passed; give one in the future.',
    too_far: 'Reminders can be at most a year ahead.',
  },
};
