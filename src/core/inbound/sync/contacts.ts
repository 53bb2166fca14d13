import type { CoreDeps } from '../../kernel/runtime.ts';
import type { ContactProfile, PlatformAdapter } from '../../ports/adapter.ts';
import type { ContactEvent } from '../../ports/events.ts';
import { recordCustomerEvent } from '../../records/timeline/customer-events.ts';
import { storeContactProfile } from '../contact-change.ts';
import { markRelationLost } from '../contact-relations.ts';
import type { SyncSummary } from './jobs.ts';

/** Stages one page of (customer, follower) pairs; a page read again after a crash overwrites its own rows. */
export async function stageContacts(deps: CoreDeps, jobId: number, page: ContactProfile[]): Promise<void> {
  const rows = page.flatMap((p) =>
    p.followers.map((f) => ({
      job_id: jobId,
      external_id: p.externalId,
      member_id: f.memberId,
      profile: JSON.stringify({ ...p, followers: [f] }),
    })),
  );
  // D1 binds at most 100 parameters per statement: 4 per row.
  for (let i = 0; i < rows.length; i += 24) {
    await deps.db
      .insertInto('sync_contacts')
      .values(rows.slice(i, i + 24))
      .onConflict((oc) =>
        oc
          .columns(['job_id', 'external_id', 'member_id'])
          .doUpdateSet((eb) => ({ profile: eb.ref('excluded.profile') })),
      )
      .execute();
  }
}

/** The next staged customers after `after`, each with every follower the paging found. */
export async function stagedAfter(
  deps: CoreDeps,
  jobId: number,
  after: string,
  limit: number,
): Promise<ContactProfile[]> {
  const ids = await deps.db
    .selectFrom('sync_contacts')
    .select('external_id')
    .distinct()
    .where('job_id', '=', jobId)
    .where('external_id', '>', after)
    .orderBy('external_id')
    .limit(limit)
    .execute();
  if (ids.length === 0) return [];
  const rows = await deps.db
    .selectFrom('sync_contacts')
    .select(['external_id', 'profile'])
    .where('job_id', '=', jobId)
    .where(
      'external_id',
      'in',
      ids.map((i) => i.external_id),
    )
    .orderBy('external_id')
    .orderBy('member_id')
    .execute();
  const byId = new Map<string, ContactProfile>();
  for (const r of rows) {
    const p = JSON.parse(r.profile) as ContactProfile;
    const seen = byId.get(r.external_id);
    if (seen) seen.followers.push(...p.followers);
    else byId.set(r.external_id, p);
  }
  return [...byId.values()];
}

/**
 * Stores one customer exactly as a contact event would, and counts what that changed: the stored state is read
 * before and after, so a second sync over an unchanged platform counts nothing.
 */
export async function applyContact(
  deps: CoreDeps,
  adapter: PlatformAdapter,
  profile: ContactProfile,
  members: ReadonlySet<string>,
  summary: SyncSummary,
): Promise<void> {
  const [first] = [...profile.followers].sort((a, b) => (a.addedAt ?? 0) - (b.addedAt ?? 0));
  if (!first) return;
  const people = adapter.peopleWorkspace;
  const before = await storedState(deps, adapter, profile.externalId);
  const ev: ContactEvent = {
    kind: 'contact',
    change: 'updated',
    platform: adapter.platform,
    workspace: adapter.workspace,
    occurredAt: first.addedAt ?? deps.clock.now(),
    member: { externalId: first.memberId, workspace: people },
    customer: { externalId: profile.externalId, workspace: people },
    ...(first.channel ? { channel: first.channel } : {}),
  };
  const customer = await storeContactProfile(deps, ev, profile);
  // A member the platform listed who no longer follows the customer: the relation was lost while events were missed.
  const following = new Set(profile.followers.map((f) => f.memberId));
  const relations = await deps.db
    .selectFrom('contact_relations')
    .select('member_external_id')
    .where('identity_id', '=', customer.identityId)
    .where('status', '=', 'active')
    .execute();
  for (const r of relations) {
    if (following.has(r.member_external_id) || !members.has(r.member_external_id)) continue;
    await loseRelation(deps, adapter, customer, r.member_external_id);
    summary.relationsLost++;
  }
  if (customer.created) summary.customersCreated++;
  else if (before !== (await storedState(deps, adapter, profile.externalId))) summary.customersUpdated++;
}

/**
 * Relations of listed members to customers the sync did not find at all: gone on the platform. Returns how many
 * were marked lost (at most `limit`, so the caller loops in bounded steps).
 */
export async function pruneUnseen(
  deps: CoreDeps,
  adapter: PlatformAdapter,
  jobId: number,
  members: string[],
  limit: number,
): Promise<number> {
  // D1 binds at most 100 parameters per statement: members are asked about 50 at a time.
  let lost = 0;
  for (let i = 0; i < members.length && lost < limit; i += 50)
    lost += await pruneSome(deps, adapter, jobId, members.slice(i, i + 50), limit - lost);
  return lost;
}

async function pruneSome(
  deps: CoreDeps,
  adapter: PlatformAdapter,
  jobId: number,
  members: string[],
  limit: number,
): Promise<number> {
  const gone = await deps.db
    .selectFrom('contact_relations as r')
    .innerJoin('identities as i', 'i.id', 'r.identity_id')
    .select(['r.identity_id', 'r.customer_id', 'r.member_external_id'])
    .where('i.platform', '=', adapter.platform)
    .where('i.workspace', '=', adapter.peopleWorkspace)
    .where('r.status', '=', 'active')
    .where('r.member_external_id', 'in', members)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sync_contacts as s')
            .select('s.job_id')
            .where('s.job_id', '=', jobId)
            .whereRef('s.external_id', '=', 'i.external_id')
            .whereRef('s.member_id', '=', 'r.member_external_id'),
        ),
      ),
    )
    .limit(limit)
    .execute();
  for (const g of gone)
    await loseRelation(
      deps,
      adapter,
      { identityId: g.identity_id, customerId: g.customer_id },
      g.member_external_id,
    );
  return gone.length;
}

async function loseRelation(
  deps: CoreDeps,
  adapter: PlatformAdapter,
  customer: { identityId: number; customerId: number },
  member: string,
): Promise<void> {
  const now = deps.clock.now();
  if (!(await markRelationLost(deps.db, customer.identityId, member, 'gone on the platform (sync)', now)))
    return;
  await recordCustomerEvent(deps.db, {
    customerId: customer.customerId,
    key: `sync:${adapter.platform}:lost:${customer.identityId}:${member}:${now}`,
    at: now,
    kind: 'contact_lost',
    platform: adapter.platform,
    detail: { member, by: 'sync' },
  });
}

/** What a sync may change about a customer, as one string: compared before and after storing. */
async function storedState(deps: CoreDeps, adapter: PlatformAdapter, externalId: string): Promise<string> {
  const identity = await deps.db
    .selectFrom('identities as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select([
      'i.id',
      'i.customer_id',
      'i.display_name',
      'i.union_id',
      'i.phone',
      'i.profile',
      'c.company',
      'c.phone as cphone',
    ])
    .select('c.owner_staff_id')
    .where('i.platform', '=', adapter.platform)
    .where('i.workspace', '=', adapter.peopleWorkspace)
    .where('i.external_id', '=', externalId)
    .executeTakeFirst();
  if (!identity) return '';
  const [relations, tags] = await Promise.all([
    deps.db
      .selectFrom('contact_relations')
      .select(['member_external_id', 'status', 'remark', 'description', 'channel'])
      .where('identity_id', '=', identity.id)
      .orderBy('member_external_id')
      .execute(),
    deps.db
      .selectFrom('customer_tags as ct')
      .innerJoin('tags as t', 't.id', 'ct.tag_id')
      .select('t.name')
      .where('ct.customer_id', '=', identity.customer_id)
      .orderBy('t.name')
      .execute(),
  ]);
  return JSON.stringify([identity, relations, tags]);
}
