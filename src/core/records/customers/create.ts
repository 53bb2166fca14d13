import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { reachCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundAction } from '../../ports/outbound.ts';
import { setTagByHand } from '../tags/manual.ts';
import { refreshSuggestionsFor } from './duplicates.ts';
import { ownerCheck } from './ownership-stage.ts';
import { refreshSearchText } from './profile.ts';
import { customersWithPhone, storedPhone } from './same-phone.ts';
import { buildSearchText } from './search-text.ts';

export interface NewCustomerInput {
  name: string;
  company?: string | null;
  phone?: string | null;
  email?: string | null;
  /** A stage key of the organisation's; the first stage when absent. */
  stage?: string;
  ownerStaffId?: number | null;
  /** Manual tags to set at once. */
  tags?: string[];
  /** Where the record came from (`api`, `import`…), as reports count new customers by it. */
  source: string;
  actor: Actor;
}

export type CreateOutcome =
  /** `created` false: the request key had already created this customer (a retry); nothing new was written. */
  | { kind: 'created'; customerId: number; created: boolean; actions: OutboundAction[] }
  /** Another customer has the same phone number: nothing was written. */
  | { kind: 'duplicate'; customerId: number }
  /** The owner is not staff the actor may assign to, or not active: nothing was written. */
  | { kind: 'owner_out_of_reach' | 'owner_inactive' };

/**
 * Creates a customer typed in by a person or an integration (no platform identity yet). Keyed by the request (`key`
 * becomes the record's origin key), so a retried request finds the customer it made; its follow-up writes (search
 * index, tags) are idempotent and run again, which completes a request cut short (no transaction on D1). A customer
 * with the same phone number is not created twice.
 */
export async function createCustomer(
  deps: CoreDeps,
  c: NewCustomerInput,
  key: string,
): Promise<CreateOutcome> {
  const { db } = deps;
  if (c.ownerStaffId != null) {
    const check = await ownerCheck(deps, c.actor, c.ownerStaffId);
    if (check !== 'ok') return { kind: check };
  }
  const madeByKey = () =>
    db.selectFrom('customers').select('id').where('origin_key', '=', key).executeTakeFirst();
  let known = await madeByKey();
  const phone = c.phone ? storedPhone(c.phone) : null;
  if (!known && phone) {
    const [same] = await customersWithPhone(db, phone);
    // The same request, retried while the first was still running, may have made that customer just now.
    if (same !== undefined) known = await madeByKey();
    if (same !== undefined && !known) return { kind: 'duplicate', customerId: same };
  }
  const now = deps.clock.now();
  const inserted = known
    ? undefined
    : await db
        .insertInto('customers')
        .values({
          display_name: c.name,
          company: c.company ?? null,
          phone,
          email: c.email ?? null,
          owner_staff_id: c.ownerStaffId ?? null,
          stage: c.stage ?? deps.org.stages[0]?.key ?? 'lead',
          stage_source: c.stage ? 'manual' : 'auto',
          language: null,
          source: c.source,
          do_not_contact: 0,
          origin_key: key,
          search_text: buildSearchText([c.name, c.company, c.email], phone),
          first_contact_at: now,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('origin_key').doNothing())
        .executeTakeFirst();
  const customerId =
    known?.id ??
    (await db.selectFrom('customers').select('id').where('origin_key', '=', key).executeTakeFirstOrThrow())
      .id;
  const created = Number(inserted?.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (created) {
    await audit(db, now, {
      ...auditedAs(c.actor),
      action: 'customer.created',
      subjectKind: 'customer',
      subjectId: customerId,
      detail: { source: c.source },
    });
  }
  await refreshSearchText(db, customerId);
  await refreshSuggestionsFor(deps, customerId, deps.clock.now());
  const actions: OutboundAction[] = [];
  // The actor made them, and may tag them (a rep's new customer is theirs or in the pool).
  const reached = c.tags?.length ? await reachCustomer(db, c.actor, customerId) : null;
  for (const [i, name] of (reached ? (c.tags ?? []) : []).entries()) {
    const tagged = await setTagByHand(
      deps,
      { customer: reached as NonNullable<typeof reached>, name, on: true },
      `${key}:tag:${i}`,
    );
    actions.push(...tagged.actions);
  }
  return { kind: 'created', customerId, created, actions };
}
