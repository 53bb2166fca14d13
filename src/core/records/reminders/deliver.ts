import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { mayContact } from '../privacy/do-not-contact.ts';
import { messageToStaff } from '../staff/notify.ts';

/**
 * Reminders whose time has come, turned into messages to their staff member (on the platform they were asked on).
 * Safe on many instances and after a crash: the send's key is the reminder's, and the reminder is marked sent only
 * after its message is queued, so a reminder is delivered once and never lost. The caller queues the returned sends,
 * then calls `markDelivered`.
 */
export async function dueReminders(
  deps: CoreDeps,
  limit = 50,
): Promise<{ sends: OutboxItem[]; reminderIds: number[] }> {
  const { db, clock } = deps;
  const due = await db
    .selectFrom('reminders')
    .leftJoin('customers', 'customers.id', 'reminders.customer_id')
    .select([
      'reminders.id',
      'reminders.staff_id',
      'reminders.text',
      'reminders.platform',
      'customers.id as customerId',
      'customers.display_name as customerName',
    ])
    .where('reminders.status', '=', 'pending')
    .where('reminders.due_at', '<=', clock.now())
    .orderBy('reminders.due_at')
    .limit(limit)
    .execute();
  const sends: OutboxItem[] = [];
  for (const r of due) {
    const who = r.customerId !== null ? ` — #${r.customerId} ${r.customerName}` : '';
    // The reminder still reaches the rep, with the customer's wish not to be contacted beside it.
    const quiet = r.customerId !== null && !(await mayContact(db, r.customerId));
    const text = (lang: Lang) => {
      const t = messages(lang);
      return t.reminder(r.text, who, quiet ? t.doNotContact : '');
    };
    sends.push(
      ...(await messageToStaff(deps, r.staff_id, text, `reminder:${r.id}`, r.platform ?? undefined)),
    );
  }
  return { sends, reminderIds: due.map((r) => r.id) };
}

/** Marks reminders delivered once their messages are in the outbox. */
export async function markDelivered(deps: CoreDeps, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await deps.db
    .updateTable('reminders')
    .set({ status: 'sent', delivered_at: deps.clock.now() })
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}
