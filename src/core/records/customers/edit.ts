import { audit } from '../../kernel/audit.ts';
import { auditedAs } from '../../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { refreshSuggestionsFor } from './duplicates.ts';
import { refreshSearchText } from './profile.ts';
import { customersWithPhone, storedPhone } from './same-phone.ts';

/** The fields a person may type over; null clears one (a name cannot be cleared). */
export interface CustomerFields {
  name?: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
}

const columns = { name: 'display_name', company: 'company', phone: 'phone', email: 'email' } as const;

export type EditOutcome =
  | { kind: 'edited'; changed: Array<keyof CustomerFields> }
  | { kind: 'duplicate'; customerId: number }
  | { kind: 'unknown' };

/**
 * Writes what a person typed over a customer's name, company, phone or email, keeps search current, and audits which
 * fields changed (their values are customer data: never in the log). A phone another customer has is refused.
 */
export async function editCustomer(
  deps: CoreDeps,
  r: { customer: ReachedCustomer; fields: CustomerFields },
): Promise<EditOutcome> {
  const { db } = deps;
  const customerId = r.customer.id;
  const current = await db
    .selectFrom('customers')
    .select(['display_name', 'company', 'phone', 'email'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!current) return { kind: 'unknown' };
  const wanted = {
    ...r.fields,
    ...(r.fields.phone ? { phone: storedPhone(r.fields.phone) } : {}),
  };
  const changed = (Object.keys(columns) as Array<keyof CustomerFields>).filter(
    (f) => wanted[f] !== undefined && wanted[f] !== current[columns[f]],
  );
  if (changed.length === 0) return { kind: 'edited', changed };
  if (changed.includes('phone') && wanted.phone) {
    const [same] = await customersWithPhone(db, wanted.phone, customerId);
    if (same !== undefined) return { kind: 'duplicate', customerId: same };
  }
  const now = deps.clock.now();
  await db
    .updateTable('customers')
    .set({ ...Object.fromEntries(changed.map((f) => [columns[f], wanted[f]])), updated_at: now })
    .where('id', '=', customerId)
    .execute();
  await refreshSearchText(db, customerId);
  await refreshSuggestionsFor(deps, customerId, deps.clock.now()); // a new phone or email may match someone
  await audit(db, now, {
    ...auditedAs(r.customer.actor),
    action: 'customer.updated',
    subjectKind: 'customer',
    subjectId: customerId,
    detail: { fields: changed },
  });
  return { kind: 'edited', changed };
}
