import type { Kysely, SelectQueryBuilder } from 'kysely';
import { isPostgres } from '../../../../db/dialect.ts';
import type { Database } from '../../../../db/schema.ts';
import { maskText } from '../../kernel/permissions/mask.ts';
import { customerScope, mayUnmask, ownOrUnowned, type Viewer } from '../../kernel/permissions/scope.ts';
import { textMatches } from './search-full-text.ts';
import { countUpTo, gramMatch, type Match, type Scoped } from './search-grams.ts';
import { fullTextMatch } from './search-postgres.ts';

export { countUpTo, textMatches };

/** A customer's own columns every list reads. */
const CUSTOMER_COLUMNS = [
  'customers.id',
  'customers.display_name',
  'customers.company',
  'customers.phone',
  'customers.email',
  'customers.stage',
  'customers.owner_staff_id',
  'customers.last_contact_at',
] as const;

/** What every list of customers reads, the owner joined as `owner`: search, segments, the console, exports. */
export const LISTED_CUSTOMER_COLUMNS = [...CUSTOMER_COLUMNS, 'owner.display_name as owner_name'] as const;

/** What `searchCustomers` reads of a customer before the page's owners are joined. */
const PAGE_COLUMNS = [...CUSTOMER_COLUMNS, 'customers.first_contact_at'] as const;

export interface CustomerQuery {
  /** Free text: a name (two Chinese characters are enough), company, username, phone digits, or `#id`. */
  q?: string;
  tag?: string;
  stage?: string;
  /** A staff id, or 'none' for the unowned pool. */
  owner?: number | 'none';
  limit: number;
  /** Restricts to what this staff member may see; absent for the integration API (admin-level). */
  viewer?: Viewer;
}

/** What every view of a customer shows. */
export interface CustomerBasics {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  stage: string;
  owner: { id: number; name: string } | null;
  firstContactAt: number;
  lastContactAt: number | null;
}

export interface CustomerSummary extends CustomerBasics {
  tags: string[];
}

/** Customers matching every given filter, most recently in contact first. Merged-away records never appear. */
export async function searchCustomers(
  db: Kysely<Database>,
  query: CustomerQuery,
): Promise<CustomerSummary[]> {
  const q = query.q?.trim();
  const scope = query.viewer ? customerScope(db, query.viewer) : null;
  const scoped: Scoped = scope === null ? 'no' : query.viewer?.role === 'rep' ? 'rep' : 'wide';
  const match = q ? await planMatch(db, q, scoped) : null;
  if (match === 'nothing') return [];
  // An unknown tag matches no one: said at once, not by walking every customer (`/find` retries text as a tag).
  if (
    query.tag &&
    !(await db.selectFrom('tags').select('id').where('name', '=', query.tag).executeTakeFirst())
  )
    return [];
  // A rep's dense matches: their own customers and the unowned pool (`ownOrUnowned`, their whole scope) each walked
  // in recency order (index on owner and recency), not everyone walked and all but 1 in 30 dropped after their row.
  const pages =
    match?.walk && scoped === 'rep' && query.viewer
      ? ownOrUnowned(query.viewer).map((part) => pageOf(db, query, match, part, true))
      : [pageOf(db, query, match, scope)];
  const [first, second] = pages as [PageQuery, PageQuery | undefined];
  const page = second
    ? db
        .selectFrom(first.as('own'))
        .selectAll()
        .unionAll(db.selectFrom(second.as('pool')).selectAll())
    : first;
  const rows = await db
    .selectFrom(page.as('page'))
    .leftJoin('staff as owner', 'owner.id', 'page.owner_staff_id')
    .selectAll('page')
    .select('owner.display_name as owner_name')
    .orderBy('page.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('page.id', 'desc')
    .limit(query.limit)
    .execute();
  const tags = await tagsOf(
    db,
    rows.map((r) => r.id),
  );
  // A name or company can carry a phone (a Telegram name, a WeCom remark): masked for a viewer who may not unmask.
  const free = query.viewer && !mayUnmask(query.viewer) ? maskText : (s: string) => s;
  return rows.map((r) => ({
    id: r.id,
    name: free(r.display_name),
    company: r.company === null ? null : free(r.company),
    phone: r.phone,
    email: r.email,
    stage: r.stage,
    owner: r.owner_staff_id !== null ? { id: r.owner_staff_id, name: r.owner_name ?? '' } : null,
    tags: tags.get(r.id) ?? [],
    firstContactAt: r.first_contact_at,
    lastContactAt: r.last_contact_at,
  }));
}

/**
 * The first `query.limit` customers (most recent contact first) matching `match` and every filter, within `scope`.
 * The owner is joined to the page only, later: planners misjudge how many rows pass the LIKE (PostgreSQL guesses
 * one), and a join planned for one row but run for thousands (a nested loop over `staff`) cost more than the search.
 */
function pageOf(
  db: Kysely<Database>,
  query: CustomerQuery,
  match: Match | null,
  scope: Condition | null,
  byOwner = false,
) {
  // Candidates from the index lead, so no engine prefers walking a wide filter (a rep's whole pool) instead:
  // SQLite keeps the left side of a CROSS JOIN outermost. Only `customers` and `owner` columns are used after.
  const from = match?.candidates
    ? (db
        .selectFrom(match.candidates.as('cand'))
        .crossJoin('customers')
        .whereRef('customers.id', '=', 'cand.customer_id') as unknown as SelectQueryBuilder<
        Database,
        'customers',
        object
      >)
    : match?.narrow
      ? narrowFirst(db, match.where)
      : db.selectFrom('customers');
  let qb = from.select(PAGE_COLUMNS).where('customers.merged_into_id', 'is', null);
  if (match && !match.narrow) qb = qb.where(match.where);
  if (query.tag) {
    const tag = query.tag;
    qb = qb.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('customer_tags')
          .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
          .select('customer_tags.tag_id')
          .whereRef('customer_tags.customer_id', '=', 'customers.id')
          .where('tags.name', '=', tag),
      ),
    );
  }
  if (query.stage) qb = qb.where('customers.stage', '=', query.stage);
  if (query.owner === 'none') qb = qb.where('customers.owner_staff_id', 'is', null);
  else if (query.owner !== undefined) qb = qb.where('customers.owner_staff_id', '=', query.owner);
  if (scope) qb = qb.where(scope);
  // One owner (or none) in each: ordered by owner first, PostgreSQL reads `owner_staff_id is null` in index order too.
  if (byOwner) qb = qb.orderBy('customers.owner_staff_id');
  return qb
    .orderBy('customers.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('customers.id', 'desc')
    .limit(query.limit);
}
type PageQuery = ReturnType<typeof pageOf>;

type Condition = Match['where'];

/**
 * The customers matching `where`, as `customers`, found before any other filter is looked at (OFFSET 0 keeps
 * PostgreSQL from merging them): otherwise it intersects the match with a bitmap of a rep's whole scope (the unowned
 * pool, tens of thousands of rows), which costs far more than reading the few matches and filtering them.
 */
function narrowFirst(db: Kysely<Database>, where: Condition) {
  const matches = db
    .selectFrom('customers')
    .select([...PAGE_COLUMNS, 'customers.merged_into_id'])
    .where(where)
    .where('customers.merged_into_id', 'is', null)
    .offset(0);
  return db.selectFrom(matches.as('customers')) as unknown as SelectQueryBuilder<
    Database,
    'customers',
    object
  >;
}

/**
 * How `q` is matched: `#id` by the id; anything else by the search keys (see `searchKeys`), through SQLite's
 * `customer_search_grams` (`gramMatch`) or PostgreSQL's GIN-indexed tsvector (`fullTextMatch`).
 */
async function planMatch(db: Kysely<Database>, q: string, scoped: Scoped): Promise<Match | 'nothing'> {
  const id = /^#(\d{1,12})$/.exec(q);
  if (id) return { where: (eb) => eb('customers.id', '=', Number(id[1])) };
  return isPostgres(db) ? fullTextMatch(db, q) : gramMatch(db, q, scoped);
}

async function tagsOf(db: Kysely<Database>, customerIds: number[]): Promise<Map<number, string[]>> {
  const byCustomer = new Map<number, string[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await db
    .selectFrom('customer_tags')
    .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
    .select(['customer_tags.customer_id', 'tags.name'])
    .where('customer_tags.customer_id', 'in', customerIds)
    .orderBy('tags.name')
    .execute();
  for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r.name]);
  return byCustomer;
}
