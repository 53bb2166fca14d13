import type { Kysely } from 'kysely';
import { type Database, PLATFORMS } from '../../../../db/schema.ts';
import { phoneVariants } from '../customers/values.ts';
import { namesMayMatch } from './names.ts';

/** How a person is recognised as someone already known, strongest first. */
export const MATCH_ORDER = ['phone', 'unionid', 'name_company'] as const;
export type MatchKey = (typeof MATCH_ORDER)[number];

/** What identifies a person in an import row (values already normalised). */
export interface PersonKeys {
  name: string;
  company: string | null;
  phone: string | null;
  unionId: string | null;
}

/** The fields of a known customer that a merge reads. */
export interface KnownCustomer {
  id: number;
  display_name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  owner_staff_id: number | null;
  stage: string;
}

export interface CustomerMatch {
  customer: KnownCustomer;
  by: MatchKey;
}

/** Who a person is among the known customers, and who merely shares their phone. */
export interface PersonMatch {
  match: CustomerMatch | null;
  /**
   * The oldest customer with the person's phone, when every customer with it has a clearly different name
   * (`namesMayMatch`): a shared phone (a family, a switchboard) that must not merge two people.
   */
  phoneClash: KnownCustomer | null;
}

const BATCH = 300;

/**
 * The keys a person is matched by, in `MATCH_ORDER`: the phone, the unionid, and name + company together (a name
 * alone is too common to say two rows are one person). The same keys deduplicate rows within one file.
 */
export function personKeys(p: PersonKeys): Array<{ by: MatchKey; key: string }> {
  const keys: Array<{ by: MatchKey; key: string }> = [];
  if (p.phone) keys.push({ by: 'phone', key: p.phone });
  if (p.unionId) keys.push({ by: 'unionid', key: p.unionId });
  if (p.company) keys.push({ by: 'name_company', key: nameCompanyKey(p.name, p.company) });
  return keys;
}

const nameCompanyKey = (name: string, company: string) =>
  `${name.trim().toLowerCase()}\u0000${company.trim().toLowerCase()}`;

/**
 * The existing customer each person is, or null: by phone (in any stored form) when the names may be one person's,
 * then unionid (on any platform's identity), then name and company; the oldest customer when several match;
 * merged-away records never match.
 * One query per key kind per batch of people, so a 50,000-row file asks a few hundred queries, not 150,000.
 * Identity resolution extends this function: every import decides "who is this" here.
 */
export async function findExistingCustomers(
  db: Kysely<Database>,
  people: PersonKeys[],
): Promise<PersonMatch[]> {
  const out: PersonMatch[] = people.map(() => ({ match: null, phoneClash: null }));
  for (let start = 0; start < people.length; start += BATCH) {
    const batch = people.slice(start, start + BATCH);
    const [phones, unionIds, nameCompanies] = await Promise.all([
      byPhone(db, batch),
      byUnionId(db, batch),
      byNameCompany(db, batch),
    ]);
    batch.forEach((person, i) => {
      const sharing = phones.get(i) ?? [];
      const samePhone = sharing.find((c) => namesMayMatch(c.display_name, person.name));
      const found: Array<[KnownCustomer | undefined, MatchKey]> = [
        [samePhone, 'phone'],
        [unionIds.get(i), 'unionid'],
        [nameCompanies.get(i), 'name_company'],
      ];
      const hit = found.find(([customer]) => customer !== undefined);
      out[start + i] = {
        match: hit?.[0] ? { customer: hit[0], by: hit[1] } : null,
        phoneClash: samePhone ? null : (sharing[0] ?? null),
      };
    });
  }
  return out;
}

const customerColumns = [
  'customers.id',
  'customers.display_name',
  'customers.company',
  'customers.phone',
  'customers.email',
  'customers.owner_staff_id',
  'customers.stage',
] as const;

/** Batch index → the customers with that phone, oldest first. */
async function byPhone(db: Kysely<Database>, batch: PersonKeys[]): Promise<Map<number, KnownCustomer[]>> {
  const wanted = new Map<string, number[]>();
  batch.forEach((p, i) => {
    if (p.phone) for (const v of phoneVariants(p.phone)) wanted.set(v, [...(wanted.get(v) ?? []), i]);
  });
  if (wanted.size === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select([...customerColumns])
    .where('customers.merged_into_id', 'is', null)
    .where('customers.phone', 'in', [...wanted.keys()])
    .orderBy('customers.id')
    .execute();
  const out = new Map<number, KnownCustomer[]>();
  for (const r of rows)
    for (const i of (r.phone ? wanted.get(r.phone) : undefined) ?? [])
      out.set(i, [...(out.get(i) ?? []), known(r)]);
  return out;
}

async function byUnionId(db: Kysely<Database>, batch: PersonKeys[]): Promise<Map<number, KnownCustomer>> {
  const wanted = new Map<string, number[]>();
  batch.forEach((p, i) => {
    if (p.unionId) wanted.set(p.unionId, [...(wanted.get(p.unionId) ?? []), i]);
  });
  if (wanted.size === 0) return new Map();
  const rows = await db
    .selectFrom('identities')
    .innerJoin('customers', 'customers.id', 'identities.customer_id')
    .select([...customerColumns, 'identities.union_id'])
    .where('customers.merged_into_id', 'is', null)
    // Listing the platforms lets the (platform, union_id) index serve the lookup.
    .where('identities.platform', 'in', PLATFORMS)
    .where('identities.union_id', 'in', [...wanted.keys()])
    .orderBy('customers.id')
    .execute();
  return firstPerIndex(rows, (r) => (r.union_id ? wanted.get(r.union_id) : undefined));
}

async function byNameCompany(db: Kysely<Database>, batch: PersonKeys[]): Promise<Map<number, KnownCustomer>> {
  const wanted = new Map<string, number[]>();
  const names = new Set<string>();
  batch.forEach((p, i) => {
    if (!p.company) return;
    const key = nameCompanyKey(p.name, p.company);
    wanted.set(key, [...(wanted.get(key) ?? []), i]);
    names.add(p.name.trim().toLowerCase());
  });
  if (wanted.size === 0) return new Map();
  const rows = await db
    .selectFrom('customers')
    .select([...customerColumns])
    .where('customers.merged_into_id', 'is', null)
    .where('customers.company', 'is not', null)
    .where((eb) => eb(eb.fn('lower', ['customers.display_name']), 'in', [...names]))
    .orderBy('customers.id')
    .execute();
  return firstPerIndex(rows, (r) =>
    r.company ? wanted.get(nameCompanyKey(r.display_name, r.company)) : undefined,
  );
}

function firstPerIndex<R extends KnownCustomer>(
  rows: R[],
  indexesOf: (r: R) => number[] | undefined,
): Map<number, KnownCustomer> {
  const out = new Map<number, KnownCustomer>();
  for (const r of rows) for (const i of indexesOf(r) ?? []) if (!out.has(i)) out.set(i, known(r));
  return out;
}

const known = (r: KnownCustomer): KnownCustomer => ({
  id: r.id,
  display_name: r.display_name,
  company: r.company,
  phone: r.phone,
  email: r.email,
  owner_staff_id: r.owner_staff_id,
  stage: r.stage,
});
