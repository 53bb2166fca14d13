import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs, mayHandlePrivacy } from '../../kernel/permissions/actor.ts';
import { ERASED_ACTION, type ErasureScope, erasureSteps } from './erase-steps.ts';
import { customerFamily, customerTraces } from './traces.ts';

/** Rows erased per table: deleted, or blanked where the row must stay for its key. */
export type ErasureCounts = Partial<Record<keyof Database, number>>;

/** What an erasure did: the customers erased (merged records first) and the rows per table. */
export interface Erasure {
  customers: number[];
  erased: ErasureCounts;
}

/**
 * What erasing a customer would remove (the customer, every record merged into them, and their traces), without
 * changing anything; null for an unknown customer.
 */
export async function erasurePlan(db: Kysely<Database>, customerId: number): Promise<ErasureCounts | null> {
  const s = await scopeOf(db, 0, customerId);
  if (!s) return null;
  const counts: ErasureCounts = {};
  for (const step of erasureSteps) counts[step.table] = (counts[step.table] ?? 0) + (await step.count(s));
  return nonZero({ ...counts, customers: s.ids.length });
}

/**
 * Erases a customer (PIPL 删除权 / GDPR art. 17): the customer and the records merged into them, their identities,
 * chats, messages, tags, notes, deals, reminders, events, search keys, model readings and cached answers, pending
 * assistant plans naming them; raw deliveries and sends that concern them keep only their dedup / idempotency keys
 * (so a platform redelivering an old update is still a duplicate and does not bring the customer back), and audit
 * details about them are cleared. The erasure's own audit entry holds ids and counts only. Null when unknown;
 * 'not_allowed' for actors below director.
 *
 * No transaction (D1): every step is idempotent, and the order makes a crash harmless — traces are scrubbed while
 * the rows they are read from (customer, identities, chats) still exist, children go before what they point at,
 * and the customer rows go last (merged records first). Running it again after a crash finishes the job.
 */
export async function eraseCustomer(
  db: Kysely<Database>,
  now: number,
  customerId: number,
  actor: Actor,
): Promise<Erasure | null | 'not_allowed'> {
  if (!mayHandlePrivacy(actor)) return 'not_allowed';
  const s = await scopeOf(db, now, customerId);
  if (!s) return null;
  const counts: ErasureCounts = {};
  for (const step of erasureSteps) counts[step.table] = (counts[step.table] ?? 0) + (await step.run(s));
  const erased = nonZero({ ...counts, customers: s.ids.length });
  // Before the customer rows: a crash right after repeats the entry rather than losing it. Ids and counts only.
  await audit(db, now, {
    ...auditedAs(actor),
    action: ERASED_ACTION,
    subjectKind: 'customer',
    subjectId: customerId,
    detail: { customers: s.ids, erased },
  });
  for (const id of s.ids) await db.deleteFrom('customers').where('id', '=', id).execute();
  return { customers: s.ids, erased };
}

async function scopeOf(db: Kysely<Database>, now: number, customerId: number): Promise<ErasureScope | null> {
  const known = await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
  if (!known) return null;
  const ids = await customerFamily(db, customerId);
  const chats = await db.selectFrom('chats').select('id').where('customer_id', 'in', ids).execute();
  return { db, now, ids, chatIds: chats.map((c) => c.id), traces: await customerTraces(db, ids) };
}

const nonZero = (c: ErasureCounts): ErasureCounts =>
  Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0)) as ErasureCounts;
