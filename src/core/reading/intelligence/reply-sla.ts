import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { raiseAlert } from './alerts.ts';
import { lastMessageOfBurst } from './bursts.ts';

/**
 * Bursts whose answer time has passed: those no staff member answered alert the owner (once, by the alert's key);
 * either way the burst leaves the watch list. Returns the alerts to queue and the bursts looked at.
 */
export async function overdueReplies(
  deps: CoreDeps,
  limit = 50,
): Promise<{ sends: OutboxItem[]; checked: number[] }> {
  const { db, clock } = deps;
  const now = clock.now();
  const due = await db
    .selectFrom('conversation_bursts as b')
    .innerJoin('customers as c', 'c.id', 'b.customer_id')
    .select(['b.id', 'b.customer_id', 'b.started_at', 'b.last_message_at', 'c.merged_into_id'])
    .where('b.reply_due_at', '<=', now)
    .orderBy('b.reply_due_at')
    .limit(limit)
    .execute();
  const sends: OutboxItem[] = [];
  for (const b of due) {
    // An answer by a person counts; the bot's own acknowledgement does not.
    const answered = await db
      .selectFrom('messages')
      .select('id')
      .where('customer_id', '=', b.customer_id)
      .where('direction', '=', 'out')
      .where('author_kind', '=', 'staff')
      .where('sent_at', '>=', b.started_at)
      .limit(1)
      .executeTakeFirst();
    if (answered || b.merged_into_id !== null) continue;
    const last = await lastMessageOfBurst(deps, b);
    sends.push(
      ...(await raiseAlert(deps, {
        customerId: b.customer_id,
        cause: 'sla',
        burstId: b.id,
        messageId: last?.id ?? null,
        source: 'sla',
        ...(last
          ? { excerpt: { text: last.text, contentType: last.content_type, content: last.content } }
          : {}),
      })),
    );
  }
  return { sends, checked: due.map((b) => b.id) };
}

/** Takes bursts off the watch list once their alerts are queued. */
export async function markReplyChecked(deps: CoreDeps, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await deps.db
    .updateTable('conversation_bursts')
    .set({ reply_due_at: null })
    .where('id', 'in', ids)
    .execute();
}
