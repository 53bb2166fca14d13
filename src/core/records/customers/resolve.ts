import type { Kysely, Selectable } from 'kysely';
import { preparedInsert, preparedQuery } from '../../../../db/prepared.ts';
import type { CustomerRow, Database, Direction, IdentityTable, Platform } from '../../../../db/schema.ts';
import { languageOf } from '../../kernel/i18n/index.ts';
import type { PersonRef } from '../../ports/events.ts';
import { indexCreatedCustomer, indexCustomerSearch } from './search-index.ts';
import { buildSearchText, normalizePhone } from './search-text.ts';

export interface ResolvedCustomer {
  customerId: number;
  identityId: number;
  created: boolean;
  /**
   * Another customer whose identity on the same platform carries this person's unionid: the same person, not yet
   * linked (the unionid was learned after both records existed). `resolveLinkedCustomer` merges the two.
   */
  sameUnionAs?: number;
}

export interface NewCustomerDefaults {
  ownerStaffId?: number | null;
  source: string;
  /** When the customer first came in touch (the platform's time), if before now; else `firstMessage`'s time. */
  firstContactAt?: number;
  /**
   * The message the customer is created for (its time the platform's): a new record starts with it as the last
   * contact, so the message need not touch the record again (`recordMessage`'s `customerTouched`).
   */
  firstMessage?: { at: number; direction: Direction };
}

/**
 * Finds the customer behind a platform account, creating customer and identity on first contact.
 * Idempotent without a transaction (D1): the customer is keyed by the identity that created it (`origin_key`), so a
 * retry after a crash between the two inserts finds the same customer instead of making a second one.
 */
export async function resolveCustomer(
  db: Kysely<Database>,
  platform: Platform,
  person: PersonRef,
  now: number,
  defaults: NewCustomerDefaults,
): Promise<ResolvedCustomer> {
  const known = await findIdentity(db, platform, person);
  if (known) {
    await refreshIdentity(db, known, person, now);
    const twin = person.unionId
      ? await findByUnionId(db, platform, person.unionId, known.customer_id)
      : undefined;
    return {
      customerId: known.customer_id,
      identityId: known.id,
      created: false,
      ...(twin ? { sameUnionAs: twin.customer_id } : {}),
    };
  }
  // The same person behind another door of the same platform (a WeCom contact and a 微信客服 user share a unionid).
  const sibling = person.unionId ? await findByUnionId(db, platform, person.unionId) : undefined;
  if (sibling) {
    const identity = await insertIdentity(db, platform, person, sibling.customer_id, now);
    return { customerId: identity.customerId, identityId: identity.id, created: false };
  }
  const originKey = `${platform}:${person.workspace}:${person.externalId}`;
  const name = person.displayName?.trim() || person.username || person.externalId;
  const searchText = buildSearchText([name, person.username]);
  const message = defaults.firstMessage;
  const inserted = await newCustomer.insertedId(db, {
    display_name: name,
    owner_staff_id: defaults.ownerStaffId ?? null,
    language: person.language ? languageOf(person.language) : null,
    source: defaults.source,
    origin_key: originKey,
    search_text: searchText,
    first_contact_at: Math.min(defaults.firstContactAt ?? message?.at ?? now, now),
    last_contact_at: message?.at ?? null,
    last_inbound_at: message?.direction === 'in' ? message.at : null,
    last_outbound_at: message?.direction === 'out' ? message.at : null,
    at: now,
  });
  // No id back: a crash after this insert left the customer, and this retry finds it.
  const customerId =
    inserted ??
    (
      await db
        .selectFrom('customers')
        .select('id')
        .where('origin_key', '=', originKey)
        .executeTakeFirstOrThrow()
    ).id;
  // Before the identity: a retry after a crash here comes back through this path and indexes again.
  if (inserted !== undefined) await indexCreatedCustomer(db, { id: customerId, search_text: searchText });
  else await indexCustomerSearch(db, customerId);
  const identity = await insertIdentity(db, platform, person, customerId, now);
  return { customerId: identity.customerId, identityId: identity.id, created: inserted !== undefined };
}

/**
 * Adds the identity to the customer unless it exists already (another writer won); returns it either way, with the
 * customer it is on (the other writer's, when it won).
 */
async function insertIdentity(
  db: Kysely<Database>,
  platform: Platform,
  person: PersonRef,
  customerId: number,
  now: number,
): Promise<{ id: number; customerId: number }> {
  const inserted = await newIdentity.insertedId(db, {
    customer_id: customerId,
    platform,
    workspace: person.workspace,
    external_id: person.externalId,
    display_name: person.displayName ?? null,
    username: person.username ?? null,
    union_id: person.unionId ?? null,
    profile: person.otherIds ? JSON.stringify({ ids: person.otherIds }) : null,
    at: now,
  });
  const identity =
    inserted !== undefined
      ? { id: inserted, customer_id: customerId }
      : await findIdentity(db, platform, person);
  if (!identity) throw new Error('identity vanished right after insert');
  return { id: identity.id, customerId: identity.customer_id };
}

/** A new customer, first seen now, unless the identity that creates it made it already (`origin_key`). */
const newCustomer = preparedInsert(
  (
    db,
    c: Pick<
      CustomerRow,
      | 'display_name'
      | 'owner_staff_id'
      | 'language'
      | 'source'
      | 'origin_key'
      | 'search_text'
      | 'first_contact_at'
      | 'last_contact_at'
      | 'last_inbound_at'
      | 'last_outbound_at'
    > & { at: number },
  ) =>
    db
      .insertInto('customers')
      .values({
        display_name: c.display_name,
        owner_staff_id: c.owner_staff_id,
        stage: 'lead',
        language: c.language,
        source: c.source,
        do_not_contact: 0,
        origin_key: c.origin_key,
        search_text: c.search_text,
        first_contact_at: c.first_contact_at,
        last_contact_at: c.last_contact_at,
        last_inbound_at: c.last_inbound_at,
        last_outbound_at: c.last_outbound_at,
        created_at: c.at,
        updated_at: c.at,
      })
      .onConflict((oc) => oc.column('origin_key').doNothing()),
);

/** A new identity, unless the platform account has one already. */
const newIdentity = preparedInsert(
  (
    db,
    i: Pick<
      Selectable<IdentityTable>,
      | 'customer_id'
      | 'platform'
      | 'workspace'
      | 'external_id'
      | 'display_name'
      | 'username'
      | 'union_id'
      | 'profile'
    > & { at: number },
  ) =>
    db
      .insertInto('identities')
      .values({
        customer_id: i.customer_id,
        platform: i.platform,
        workspace: i.workspace,
        external_id: i.external_id,
        display_name: i.display_name,
        username: i.username,
        phone: null,
        union_id: i.union_id,
        profile: i.profile,
        created_at: i.at,
        updated_at: i.at,
      })
      .onConflict((oc) => oc.columns(['platform', 'workspace', 'external_id']).doNothing()),
);

/** The first identity on the platform with this unionid (through the (platform, union_id) index), not `notOf`'s. */
function findByUnionId(db: Kysely<Database>, platform: Platform, unionId: string, notOf?: number) {
  let q = db
    .selectFrom('identities')
    .select(['customer_id'])
    .where('platform', '=', platform)
    .where('union_id', '=', unionId);
  if (notOf !== undefined) q = q.where('customer_id', '!=', notOf);
  return q.orderBy('id').executeTakeFirst();
}

const identityByAccount = preparedQuery(
  (db, key: { platform: Platform; workspace: string; externalId: string }) =>
    db
      .selectFrom('identities')
      .select(['id', 'customer_id', 'display_name', 'username', 'union_id'])
      .where('platform', '=', key.platform)
      .where('workspace', '=', key.workspace)
      .where('external_id', '=', key.externalId),
);

function findIdentity(db: Kysely<Database>, platform: Platform, person: PersonRef) {
  return identityByAccount.first(db, {
    platform,
    workspace: person.workspace,
    externalId: person.externalId,
  });
}

async function refreshIdentity(
  db: Kysely<Database>,
  known: { id: number; display_name: string | null; username: string | null; union_id: string | null },
  person: PersonRef,
  now: number,
): Promise<void> {
  const changed =
    (person.displayName !== undefined && person.displayName !== known.display_name) ||
    (person.username !== undefined && person.username !== known.username) ||
    (person.unionId !== undefined && person.unionId !== known.union_id);
  if (!changed) return;
  await db
    .updateTable('identities')
    .set({
      display_name: person.displayName ?? known.display_name,
      username: person.username ?? known.username,
      union_id: person.unionId ?? known.union_id,
      updated_at: now,
    })
    .where('id', '=', known.id)
    .execute();
}

/** Records a phone number the customer shared as their own; fills the customer's phone when it is still empty. */
export async function recordSharedPhone(
  db: Kysely<Database>,
  resolved: ResolvedCustomer,
  rawPhone: string,
  now: number,
): Promise<void> {
  const phone = normalizePhone(rawPhone);
  if (!phone.replace('+', '')) return;
  await db
    .updateTable('identities')
    .set({ phone, updated_at: now })
    .where('id', '=', resolved.identityId)
    .execute();
  const customer = await db
    .selectFrom('customers')
    .select(['phone', 'search_text'])
    .where('id', '=', resolved.customerId)
    .executeTakeFirst();
  if (!customer) return;
  if (!customer.phone) {
    await db
      .updateTable('customers')
      .set({ phone, search_text: `${customer.search_text}\n${phone.replace(/\D/g, '')}`, updated_at: now })
      .where('id', '=', resolved.customerId)
      .where('phone', 'is', null)
      .execute();
  }
  // Also when the phone was already set: a retry after a crash between the two writes still indexes it.
  await indexCustomerSearch(db, resolved.customerId);
}
