import { messages } from '../../kernel/i18n/index.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import { formatTime } from '../../kernel/time/format.ts';
import { createReminder } from '../../records/reminders/create.ts';
import { parseWhen } from '../../records/reminders/when.ts';
import { startsLikeTime } from '../../records/reminders/when-looks.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/**
 * `/remind 提醒 [customer] <when> <text>`: a message to the asker at that time, in the organisation's time zone
 * ("明天下午3点", "周五", "12/20", "2小时后", "tonight at 9", ISO). Without a customer it is a plain reminder; a time
 * it cannot read is refused with examples, never guessed.
 */
export const remindCommand: Command = {
  name: 'remind',
  aliases: ['提醒'],
  ...helpOf('remind'),
  hints: ['提醒', '回电', 'remind'],
  async run(ctx) {
    const { clock, org } = ctx.deps;
    const now = clock.now();
    const t = messages(ctx.lang).commands.remind;
    const help = usage(ctx, this.usage[ctx.lang]);
    if (!ctx.args) return help;
    let when = parseWhen(ctx.args, now, org.timeZone);
    let customer: { id: number; name: string } | null = null;
    let reached: ReachedCustomer | null = null;
    if (!when) {
      // Something that starts like a time but cannot be read is refused, never taken for a customer's name.
      if (startsLikeTime(ctx.args)) return t.badTime(help);
      const { ref, rest } = splitCustomerRef(ctx.args);
      when = parseWhen(rest, now, org.timeZone);
      if (!when) return t.badTime(help);
      const found = await reachOrReply(ctx, ref);
      if (!found.customer) return found.reply;
      customer = found.customer;
      reached = found.reached;
    }
    if (!when.rest) return t.noText(help);
    const made = await createReminder(
      ctx.deps,
      ctx.actor,
      { customer: reached, dueAt: when.at, text: when.rest, platform: ctx.chat.platform },
      ctx.key,
    );
    if (!made.ok) return t.refusals[made.reason];
    const about = customer ? `#${customer.id} ${customer.name}`.trim() : '';
    return t.set(formatTime(when.at, now, org.timeZone), when.rest, about);
  },
};
