import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { isPostgres } from '../../../../db/dialect.ts';
import type { Database } from '../../../../db/schema.ts';
import { maskText } from '../../kernel/permissions/mask.ts';
import { customerScope, mayUnmask, type Viewer } from '../../kernel/permissions/scope.ts';
import { hasSearchKeys } from './search-full-text.ts';
import {
  DIGITS_KEY,
  digitWindows,
  escapeLike,
  grams,
  MAX_DIGIT_KEY,
  phoneDigits,
  searchNeedle,
} from './search-text.ts';

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
  const match = q ? await planMatch(db, q, scope !== null) : null;
  if (match === 'nothing') return [];
  // An unknown tag matches no one: said at once, not by walking every customer (`/find` retries text as a tag).
  if (
    query.tag &&
    !(await db.selectFrom('tags').select('id').where('name', '=', query.tag).executeTakeFirst())
  )
    return [];
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

  // The owner is joined to the page only: planners misjudge how many rows pass the LIKE (PostgreSQL guesses one),
  // and a join planned for one row but run for thousands (a nested loop over `staff`) cost more than the search.
  const page = qb
    .orderBy('customers.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('customers.id', 'desc')
    .limit(query.limit);
  const rows = await db
    .selectFrom(page.as('page'))
    .leftJoin('staff as owner', 'owner.id', 'page.owner_staff_id')
    .selectAll('page')
    .select('owner.display_name as owner_name')
    .orderBy('page.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('page.id', 'desc')
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

type Condition = (eb: ExpressionBuilder<Database, 'customers'>) => Expression<SqlBool>;
/** The customers a query may match (from the index, each once), and the condition that decides. */
interface Match {
  candidates?: SelectQueryBuilder<Database, 'customer_search_grams', { customer_id: number }>;
  /** Few customers match, whatever the query: they are found first and every other filter reads only them. */
  narrow?: boolean;
  where: Condition;
}

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

/** A gram held by more customers than this is common: matches are dense, the recency order finds them sooner. */
const DENSE = 5000;
/** Digits held by more customers than this are dense within a scope (a rep's: about 1 customer in 30). */
const DENSE_IN_SCOPE = 20_000;
/** How many of a query's grams are probed for the rarest; beyond a few, more add little. */
const MAX_PROBES = 8;

/**
 * How `q` is matched, through `customer_search_grams` (see `searchKeys`):
 * - `#id`: the id;
 * - 4+ digits (a phone with +86, spaces or dashes, its last 4 or 8 digits): the exact key of 4 digits or a prefix
 *   range over the digit keys, or the id; digits held by many (a mobile prefix) are dense: the walk below;
 * - text with grams (2+ characters, 3+ in Latin script): the customers under the query's rarest gram (and the next
 *   rarest), verified by the `search_text LIKE` on that small set. When even the rarest is common, matches are
 *   dense: a walk in recency order (index `customers_recent`) with the LIKE stops after `limit` of them;
 * - one character (two in Latin script), or under 4 digits: that same walk, which may read the whole table when
 *   matches are rare.
 * PostgreSQL holds the same keys in a GIN-indexed tsvector and plans the lookup itself (`fullTextMatch`).
 */
async function planMatch(db: Kysely<Database>, q: string, scoped: boolean): Promise<Match | 'nothing'> {
  const id = /^#(\d{1,12})$/.exec(q);
  if (id) return { where: (eb) => eb('customers.id', '=', Number(id[1])) };
  if (isPostgres(db)) return fullTextMatch(q);
  const digits = phoneDigits(q);
  if (digits !== null && digits.length >= 4) {
    const key = DIGITS_KEY + digits.slice(0, MAX_DIGIT_KEY);
    const plainId = /^\d{1,12}$/.test(q) ? Number(q) : null;
    const where = digitsWhere(digits, plainId);
    // 4 digits have their exact key, once per customer; more are a prefix of the keys, where a number may hold the
    // digits at several places: each customer once.
    const withKey =
      digits.length === 4
        ? db
            .selectFrom('customer_search_grams')
            .select('customer_search_grams.customer_id')
            .where('gram', '=', key)
        : db
            .selectFrom('customer_search_grams')
            .select('customer_search_grams.customer_id')
            .distinct()
            .where('gram', '>=', key)
            .where('gram', '<', `${key}:`);
    // A mobile prefix ("8613" of +86 13…) is in tens of thousands of numbers: the recency walk finds a page of its
    // matches sooner than the index lists them. A rep's walk skips the customers outside their scope too: later.
    const dense = scoped ? DENSE_IN_SCOPE : DENSE;
    if ((await countRowsUpTo(db, withKey, dense)) >= dense) return { where };
    if (plainId === null) return { candidates: withKey, where };
    return {
      candidates: withKey.union(
        db.selectFrom('customers').select('customers.id as customer_id').where('customers.id', '=', plainId),
      ) as Match['candidates'],
      where,
    };
  }
  const needle = searchNeedle(q);
  const scan = { where: () => textMatches(needle) };
  const keys = grams(needle).slice(0, MAX_PROBES);
  if (digits !== null || keys.length === 0) return scan;
  const counts = await Promise.all(keys.map(async (gram) => ({ gram, n: await countUpTo(db, gram, DENSE) })));
  const [rarest, next] = counts.sort((a, b) => a.n - b.n);
  if (!rarest || rarest.n === 0) return 'nothing';
  if (rarest.n >= DENSE) return scan;
  let candidates = db
    .selectFrom('customer_search_grams as g1')
    .select('g1.customer_id')
    .where('g1.gram', '=', rarest.gram);
  // A second gram is checked in the index (key lookups), before any customer row is read.
  if (next)
    candidates = candidates
      .innerJoin('customer_search_grams as g2', 'g2.customer_id', 'g1.customer_id')
      .where('g2.gram', '=', next.gram);
  return { candidates: candidates as Match['candidates'], where: scan.where };
}

/**
 * The same keys and the same LIKE as `planMatch`, through `customers.search_keys` (search-full-text.ts): the customers
 * holding the query's keys (all of its grams, or a digit-key prefix), verified by the LIKE. PostgreSQL's planner
 * chooses between the GIN index and the recency walk from its statistics.
 */
function fullTextMatch(q: string): Match {
  const digits = phoneDigits(q);
  if (digits !== null && digits.length >= 4) {
    const withDigits = digitKeys(digits);
    const plainId = /^\d{1,12}$/.test(q) ? Number(q) : null;
    // 8+ digits are in a few numbers at most: found first. Up to 7, exact keys give the planner each one's share of
    // customers (its statistics): the GIN index for rare digits (last 4), the recency walk for a mobile prefix.
    return {
      narrow: digits.length >= 8,
      where: (eb) => {
        const found = eb.and([withDigits, textMatches(digits)]);
        return plainId === null ? found : eb.or([found, eb('customers.id', '=', plainId)]);
      },
    };
  }
  const needle = searchNeedle(q);
  const keys = grams(needle).slice(0, MAX_PROBES);
  if (digits !== null || keys.length === 0) return { where: () => textMatches(needle) };
  return { where: (eb) => eb.and([hasSearchKeys({ all: keys }), textMatches(needle)]) };
}

/**
 * The digit keys a number holding `digits` has: up to 7 digits, its exact 4-digit keys (one list each, where a prefix
 * reads one entry per suffix: 92,000 for "8613"); from 8 on, the prefix, which only a few numbers start a suffix with.
 */
function digitKeys(digits: string) {
  if (digits.length >= 8) return hasSearchKeys({ prefix: DIGITS_KEY + digits.slice(0, MAX_DIGIT_KEY) });
  return hasSearchKeys({ all: digitWindows(digits).map((w) => DIGITS_KEY + w) });
}

/** How many customers hold a key, counting no further than `cap` (an index range read, at most `cap` long). */
export const countUpTo = (db: Kysely<Database>, gram: string, cap: number): Promise<number> =>
  countRowsUpTo(
    db,
    db
      .selectFrom('customer_search_grams')
      .select('customer_search_grams.customer_id')
      .where('gram', '=', gram),
    cap,
  );

/** How many rows of the index `rows` reads, counting no further than `cap`. */
async function countRowsUpTo(
  db: Kysely<Database>,
  rows: SelectQueryBuilder<Database, 'customer_search_grams', { customer_id: number }>,
  cap: number,
): Promise<number> {
  const row = await db
    .selectFrom(rows.limit(cap).as('t'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Digits in the search text, or (typed as a bare number) the customer with that id. */
function digitsWhere(digits: string, plainId: number | null): Condition {
  if (plainId === null) return () => textMatches(digits);
  return (eb) => eb.or([textMatches(digits), eb('customers.id', '=', plainId)]);
}

/** The customer's search text holds `needle` (the check every search-key hit is verified by). */
export const textMatches = (needle: string) =>
  sql<SqlBool>`customers.search_text like ${`%${escapeLike(needle)}%`} escape '\\'`;

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
