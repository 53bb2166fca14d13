import type { Platform } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';

/** A reminder is at most this many characters. */
export const MAX_REMINDER_CHARS = 500;
/** Reminders are set at most this far ahead. */
export const MAX_REMINDER_AHEAD_MS = 366 * 86_400_000;

export interface NewReminder {
  /** About a customer the actor reached, or a plain reminder. */
  customer: ReachedCustomer | null;
  dueAt: number;
  text: string;
  /** Where it is delivered: the platform it was asked on. */
  platform: Platform;
}

export type ReminderOutcome =
  | { ok: true; created: boolean }
  | { ok: false; reason: 'not_staff' | 'in_the_past' | 'too_far' };

/**
 * A reminder for the staff member asking, delivered to them on that platform at `dueAt`. Once per request `key`;
 * audited when made. The text is cut at `MAX_REMINDER_CHARS`.
 */
export async function createReminder(
  deps: CoreDeps,
  actor: Actor,
  r: NewReminder,
  key: string,
): Promise<ReminderOutcome> {
  const now = deps.clock.now();
  if (actor.staffId === null) return { ok: false, reason: 'not_staff' };
  if (r.dueAt <= now) return { ok: false, reason: 'in_the_past' };
  if (r.dueAt > now + MAX_REMINDER_AHEAD_MS) return { ok: false, reason: 'too_far' };
  const customerId = r.customer?.id ?? null;
  const inserted = await deps.db
    .insertInto('reminders')
    .values({
      customer_id: customerId,
      staff_id: actor.staffId,
      due_at: r.dueAt,
      text: [...r.text].slice(0, MAX_REMINDER_CHARS).join(''),
      status: 'pending',
      created_at: now,
      delivered_at: null,
      request_key: key,
      platform: r.platform,
    })
    .onConflict((oc) => oc.column('request_key').doNothing())
    .executeTakeFirst();
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (created)
    await audit(deps.db, now, {
      ...auditedAs(actor),
      action: 'reminder.created',
      subjectKind: customerId === null ? 'staff' : 'customer',
      subjectId: customerId ?? actor.staffId,
      detail: { dueAt: r.dueAt },
    });
  return { ok: true, created };
}
