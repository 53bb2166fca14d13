import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { auditedAs } from '../../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';

/*
 * Do-not-contact (免打扰) is THE rule for outreach: a customer who asked not to be contacted gets nothing the
 * organisation starts — no acknowledgement, no place on follow-up lists (digests, /stale), no campaign. Every
 * outreach path asks this module (`mayContact` for one customer, `contactable` / `mayContactRow` for lists), so
 * the rule lives in one place. Staff still see the customer and are reminded of the wish (reminders, the card).
 */

/** Whether the organisation may reach out to this customer; false for unknown customers (fail closed). */
export async function mayContact(db: Kysely<Database>, customerId: number): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('do_not_contact')
    .where('id', '=', customerId)
    .executeTakeFirst();
  return row !== undefined && mayContactRow(row);
}

/** The same rule as a WHERE condition on `customers`, for lists of people to reach out to. */
export const contactable = (eb: ExpressionBuilder<Database, 'customers'>): Expression<SqlBool> =>
  eb('customers.do_not_contact', '=', 0);

/** The same rule for a customer row already read (with its `do_not_contact` column). */
export const mayContactRow = (c: { do_not_contact: number }): boolean => c.do_not_contact === 0;

/**
 * Sets or clears a customer's do-not-contact flag, audited when it changed. Returns whether it changed, or null
 * when the customer is gone. Safe to repeat.
 */
export async function setDoNotContact(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  customer: ReachedCustomer,
  on: boolean,
): Promise<boolean | null> {
  const { db } = deps;
  const now = deps.clock.now();
  const customerId = customer.id;
  const updated = await db
    .updateTable('customers')
    .set({ do_not_contact: on ? 1 : 0, updated_at: now })
    .where('id', '=', customerId)
    .where('do_not_contact', '=', on ? 0 : 1)
    .executeTakeFirst();
  const changed = Number(updated.numUpdatedRows) > 0;
  if (!changed) {
    const known = await db
      .selectFrom('customers')
      .select('id')
      .where('id', '=', customerId)
      .executeTakeFirst();
    return known ? false : null;
  }
  await audit(db, now, {
    ...auditedAs(customer.actor),
    action: on ? 'customer.do_not_contact_set' : 'customer.do_not_contact_cleared',
    subjectKind: 'customer',
    subjectId: customerId,
  });
  return true;
}
