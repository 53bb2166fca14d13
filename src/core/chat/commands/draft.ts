import { draftReply } from '../../conversations/reply-draft.ts';
import { messages } from '../../kernel/i18n/index.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';
import { confirmationReply, PENDING_TTL_MS, planOfRequest, savePendingRequest } from './pending.ts';

/**
 * `/draft 草拟 <customer> [what to say]`: a reply to the customer, written by the model when one is configured (from
 * their latest messages, masked and fenced) or from the template, shown to the rep and sent as `/reply` only once
 * they confirm ("确认", or the card's button). Asked only for a customer the rep may answer.
 */
export const draftCommand: Command = {
  name: 'draft',
  aliases: ['草拟', '草稿'],
  ...helpOf('draft'),
  hints: ['草拟', '起草', 'draft'],
  // Drafted where replies are sent from: the relay inbox chat too.
  staffOnlyChats: true,
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    if (!ref) return usage(ctx, this.usage[ctx.lang]);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    // A redelivered request shows the draft it stored first, without asking the model again.
    const earlier = await planOfRequest(ctx.deps, ctx.key);
    if (earlier) return confirmationReply(earlier.id, earlier.summary, [], ctx.lang).reply;
    const draft = await draftReply(ctx.deps, {
      customerId: c.id,
      customerName: c.name,
      point: rest,
      lang: ctx.lang,
      staffId: ctx.staff.id,
    });
    const t = messages(ctx.lang).commands.draft;
    const who = `#${c.id} ${c.name}`;
    const summary = `${t.head(who, draft.by === 'model')}\n${draft.text}\n${t.confirm(PENDING_TTL_MS / 60_000)}`;
    const request = { staff: ctx.staff, chat: ctx.chat, text: ctx.args, key: ctx.key };
    const { row } = await savePendingRequest(
      ctx.deps,
      request,
      ctx.lang,
      [`/reply #${c.id} ${draft.text}`],
      summary,
    );
    return confirmationReply(row.id, row.summary, [], ctx.lang).reply;
  },
};
