import type { CoreDeps } from '../kernel/runtime.ts';
import type { ContactProfile } from '../ports/adapter.ts';
import type { ContactEvent, PersonRef } from '../ports/events.ts';
import type { OutboundAction } from '../ports/outbound.ts';
import { applyContactProfile } from '../records/customers/profile.ts';
import type { ResolvedCustomer } from '../records/customers/resolve.ts';
import { resolveLinkedCustomer } from '../records/merge/same-union.ts';
import { ensureBrandStaff } from '../records/staff/registry.ts';
import { applyPlatformTags } from '../records/tags/platform-tags.ts';
import { recordCustomerEvent } from '../records/timeline/customer-events.ts';
import { attributeContact } from './arrival.ts';
import { markRelationLost, upsertActiveRelation } from './contact-relations.ts';
import { contactWelcome } from './welcome.ts';

/**
 * A staff member and a customer became contacts, changed, or parted (WeCom 客户联系). The profile is re-read from
 * the platform on every add and edit (the event carries none), so handling an event twice changes nothing.
 */
export async function handleContactEvent(
  deps: CoreDeps,
  ev: ContactEvent,
  key: string,
): Promise<OutboundAction[]> {
  const { db, clock } = deps;
  const now = clock.now();
  const member = await ensureBrandStaff(db, ev.platform, ev.member, now);
  if (ev.change === 'added' || ev.change === 'updated') {
    const profile = await deps.adapters.get(ev.platform)?.contacts?.fetchContact(ev.customer.externalId);
    const customer = await resolveContact(deps, ev, profile ?? null, member.id);
    if (profile) await syncFromProfile(deps, ev, customer, profile);
    if (ev.change === 'added') {
      await recordCustomerEvent(db, {
        customerId: customer.customerId,
        key: `${key}:added`,
        at: ev.occurredAt,
        kind: 'contact_added',
        platform: ev.platform,
        actorStaffId: member.id,
        detail: { member: member.display_name, ...(ev.channel ? { channel: ev.channel } : {}) },
      });
      await attributeContact(deps, ev, customer.customerId, key);
      return contactWelcome(deps, ev, customer.customerId, key);
    }
    return [];
  }
  // A relation ended (or a transfer failed) for someone Liaison never saw: there is no record to note it on, and an
  // id alone makes no customer.
  if (!(await knownContact(deps, ev))) return [];
  const customer = await resolveContact(deps, ev, null, member.id);
  if (ev.change === 'transfer_failed') {
    await db
      .updateTable('transfers')
      .set({ status: 'failed', reason: ev.reason ?? null, updated_at: now })
      .where('platform', '=', ev.platform)
      .where('customer_external_id', '=', ev.customer.externalId)
      .where('from_member', '=', ev.member.externalId)
      .where('status', 'in', ['requested', 'waiting'])
      .execute();
    await recordCustomerEvent(db, {
      customerId: customer.customerId,
      key: `${key}:transfer_failed`,
      at: ev.occurredAt,
      kind: 'transfer_failed',
      platform: ev.platform,
      detail: { member: member.display_name, reason: ev.reason ?? null },
    });
    return [];
  }
  // The record and its history stay: a lost relation is a churn signal, not a deletion.
  const by = ev.change === 'removed_by_customer' ? 'customer' : 'staff';
  await markRelationLost(
    db,
    customer.identityId,
    ev.member.externalId,
    ev.reason ?? `removed by ${by}`,
    ev.occurredAt,
  );
  await recordCustomerEvent(db, {
    customerId: customer.customerId,
    key: `${key}:lost`,
    at: ev.occurredAt,
    kind: 'contact_lost',
    platform: ev.platform,
    actorStaffId: by === 'staff' ? member.id : null,
    detail: { member: member.display_name, by, ...(ev.reason ? { reason: ev.reason } : {}) },
  });
  return [];
}

/**
 * Stores a customer as the platform's directory describes them, exactly as an `added` or `updated` event does (the
 * full sync's way in); `ev.member` is the follower who becomes the owner of a customer without one.
 */
export async function storeContactProfile(
  deps: CoreDeps,
  ev: ContactEvent,
  profile: ContactProfile,
): Promise<ResolvedCustomer> {
  const member = await ensureBrandStaff(deps.db, ev.platform, ev.member, deps.clock.now());
  const customer = await resolveContact(deps, ev, profile, member.id);
  await syncFromProfile(deps, ev, customer, profile);
  return customer;
}

/** Whether the event's customer already has an identity on the platform. */
async function knownContact(deps: CoreDeps, ev: ContactEvent): Promise<boolean> {
  const row = await deps.db
    .selectFrom('identities')
    .select('id')
    .where('platform', '=', ev.platform)
    .where('workspace', '=', ev.customer.workspace)
    .where('external_id', '=', ev.customer.externalId)
    .executeTakeFirst();
  return row !== undefined;
}

async function resolveContact(
  deps: CoreDeps,
  ev: ContactEvent,
  profile: ContactProfile | null,
  memberStaffId: number,
): Promise<ResolvedCustomer> {
  const person: PersonRef = {
    ...ev.customer,
    ...(profile ? { displayName: profile.name } : {}),
    ...(profile?.unionId ? { unionId: profile.unionId } : {}),
  };
  const addedAt = profile?.followers.find((f) => f.memberId === ev.member.externalId)?.addedAt;
  const resolved = await resolveLinkedCustomer(deps, ev.platform, person, deps.clock.now(), {
    source: ev.channel ? `${ev.platform}:${ev.channel}` : ev.platform,
    ownerStaffId: memberStaffId,
    firstContactAt: addedAt ?? ev.occurredAt,
  });
  // The member who added the customer becomes the owner when the customer has none.
  await deps.db
    .updateTable('customers')
    .set({ owner_staff_id: memberStaffId, updated_at: deps.clock.now() })
    .where('id', '=', resolved.customerId)
    .where('owner_staff_id', 'is', null)
    .execute();
  return resolved;
}

async function syncFromProfile(
  deps: CoreDeps,
  ev: ContactEvent,
  customer: ResolvedCustomer,
  profile: ContactProfile,
): Promise<void> {
  const now = deps.clock.now();
  for (const f of profile.followers) {
    const staff = await ensureBrandStaff(
      deps.db,
      ev.platform,
      { externalId: f.memberId, workspace: ev.member.workspace },
      now,
    );
    await upsertActiveRelation(
      deps.db,
      {
        identityId: customer.identityId,
        customerId: customer.customerId,
        memberExternalId: f.memberId,
        staffId: staff.id,
        remark: f.remark ?? null,
        description: f.description ?? null,
        channel: f.channel ?? null,
        addedAt: f.addedAt ?? null,
      },
      now,
    );
  }
  await applyContactProfile(deps.db, customer, profile, now);
  const onPlatform = new Set(profile.followers.flatMap((f) => f.tags.map((t) => t.name)));
  await applyPlatformTags(deps.db, customer.customerId, ev.platform, onPlatform, now);
}
