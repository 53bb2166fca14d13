// The console list's own conditions, each read the way that is fast at a million customers: the text through the
// search keys, a tag's or source's members first or on the walk by how many there are, a wide scope on the walk.
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
import { customerScope, type Viewer } from '../../kernel/permissions/scope.ts';
import { countUpTo, textMatches } from '../../records/customers/search.ts';
import { hasSearchKeys } from '../../records/customers/search-full-text.ts';
import {
  DIGITS_KEY,
  grams,
  MAX_DIGIT_KEY,
  phoneDigits,
  searchNeedle,
} from '../../records/customers/search-text.ts';

type Eb = ExpressionBuilder<Database, 'customers'>;
/** A WHERE condition on `customers`. */
export type Condition = (eb: Eb) => Expression<SqlBool>;

/** A tag or source held by fewer customers than this is read first (its customers sorted); more, the walk meets them. */
const FEW_MEMBERS = 3000;

/** Customers holding the tag: from the tag's index when few do, else checked on each customer of the walk. */
export async function tagCondition(db: Kysely<Database>, name: string): Promise<Condition> {
  const tag = await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirst();
  if (!tag) return () => sql<SqlBool>`1 = 0`;
  const members = db
    .selectFrom('customer_tags')
    .select('customer_tags.customer_id')
    .where('customer_tags.tag_id', '=', tag.id);
  const read = await membersFirst(db, members);
  if (read) return read;
  return (eb) =>
    eb.exists(
      eb
        .selectFrom('customer_tags')
        .select('customer_tags.tag_id')
        .whereRef('customer_tags.customer_id', '=', 'customers.id')
        .where('customer_tags.tag_id', '=', tag.id),
    );
}

/** Customers who came through the channel code, read as `tagCondition` reads a tag's. */
export async function sourceCondition(db: Kysely<Database>, code: string): Promise<Condition> {
  const members = db
    .selectFrom('customer_sources')
    .select('customer_sources.customer_id')
    .where('customer_sources.code', '=', code);
  const read = await membersFirst(db, members);
  if (read) return read;
  return (eb) =>
    eb.exists(
      eb
        .selectFrom('customer_sources')
        .select('customer_sources.id')
        .whereRef('customer_sources.customer_id', '=', 'customers.id')
        .where('customer_sources.code', '=', code),
    );
}

/** PostgreSQL: up to this many members, a hash of them is checked on each customer of the walk. */
const HASHED_MEMBERS = 20_000;

/**
 * How a tag's or source's members are best read, null for the check on each customer of the walk (common ones):
 * few, the members first (their customers sorted); on PostgreSQL, up to HASHED_MEMBERS, one hash of them checked on
 * the walk, where `is true` keeps the planner from making the IN a join that probes an index for every customer.
 */
async function membersFirst(
  db: Kysely<Database>,
  members: SelectQueryBuilder<Database, 'customer_tags' | 'customer_sources', { customer_id: number }>,
): Promise<Condition | null> {
  const pg = isPostgres(db);
  const row = await db
    .selectFrom(members.limit(pg ? HASHED_MEMBERS : FEW_MEMBERS).as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const n = Number(row?.n ?? 0);
  if (n < FEW_MEMBERS) return (eb) => eb('customers.id', 'in', members);
  if (pg && n < HASHED_MEMBERS) return (eb) => sql<SqlBool>`(${eb('customers.id', 'in', members)}) is true`;
  return null;
}

/** A scope of at least this many customers is walked in list order rather than gathered and sorted (SQLite). */
const WIDE_SCOPE = 5000;

/**
 * The actor's data scope. SQLite would gather a wide scope (a manager's teams and the pool) through the owner index
 * and sort all of it for one page: from WIDE_SCOPE customers on, a unary `+` keeps the scope out of its index choice,
 * so the list index is walked in order and the walk stops after a page. PostgreSQL chooses from its statistics.
 */
export async function listScope(db: Kysely<Database>, viewer: Viewer): Promise<Condition | null> {
  const scope = customerScope(db, viewer);
  if (!scope || isPostgres(db)) return scope;
  const row = await db
    .selectFrom((qc) =>
      // The owner index alone answers (merged-away customers are few enough to count).
      qc.selectFrom('customers').select('customers.id').where(scope).limit(WIDE_SCOPE).as('t'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  if (Number(row?.n ?? 0) < WIDE_SCOPE) return scope;
  return (eb) => sql<SqlBool>`+(${scope(eb)})`;
}

/** A search key held by more customers than this is common: the walk in list order meets its matches sooner. */
const DENSE = 5000;
/** How many of a query's grams are probed for the rarest (as `/find`). */
const MAX_PROBES = 8;

/**
 * `#id`, phone digits, or the words, matched as `/find` matches them: the customers holding the query's search keys
 * (`customer_search_grams` on SQLite, the GIN-indexed `search_keys` on PostgreSQL), verified by the LIKE on their
 * search text. Text whose rarest key is common, or that has no key (one character), is the LIKE alone, on the walk.
 */
export async function textCondition(db: Kysely<Database>, q: string): Promise<Condition> {
  const id = /^#(\d{1,12})$/.exec(q);
  if (id) return (eb) => eb('customers.id', '=', Number(id[1]));
  const digits = phoneDigits(q);
  if (digits !== null && digits.length >= 4) {
    const key = DIGITS_KEY + digits.slice(0, MAX_DIGIT_KEY);
    if (isPostgres(db)) return (eb) => eb.and([hasSearchKeys({ prefix: key }), textMatches(digits)]);
    const withKey = db
      .selectFrom('customer_search_grams')
      .select('customer_search_grams.customer_id')
      .where('gram', '>=', key)
      .where('gram', '<', `${key}:`);
    return (eb) => eb.and([eb('customers.id', 'in', withKey), textMatches(digits)]);
  }
  const needle = searchNeedle(q);
  const keys = grams(needle).slice(0, MAX_PROBES);
  if (digits !== null || keys.length === 0) return () => textMatches(needle);
  if (isPostgres(db)) return (eb) => eb.and([hasSearchKeys({ all: keys }), textMatches(needle)]);
  const counts = await Promise.all(keys.map(async (gram) => ({ gram, n: await holders(db, gram) })));
  const [rarest, next] = counts.sort((a, b) => a.n - b.n);
  if (!rarest || rarest.n === 0) return () => sql<SqlBool>`1 = 0`;
  // Common keys: checked in the index on each customer of the walk, before the LIKE reads the customer's row.
  if (rarest.n >= DENSE)
    return (eb) =>
      eb.and([...[rarest, next].flatMap((k) => (k ? [holds(eb, k.gram)] : [])), textMatches(needle)]);
  const candidates = db
    .selectFrom('customer_search_grams as g1')
    .select('g1.customer_id')
    .where('g1.gram', '=', rarest.gram)
    // A second key is checked in the index, before any customer row is read.
    .$if(next !== undefined, (qb) =>
      qb
        .innerJoin('customer_search_grams as g2', 'g2.customer_id', 'g1.customer_id')
        .where('g2.gram', '=', next?.gram ?? ''),
    );
  return (eb) => eb.and([eb('customers.id', 'in', candidates), textMatches(needle)]);
}

const holds = (eb: Eb, gram: string) =>
  eb.exists(
    eb
      .selectFrom('customer_search_grams')
      .select('customer_search_grams.customer_id')
      .whereRef('customer_search_grams.customer_id', '=', 'customers.id')
      .where('customer_search_grams.gram', '=', gram),
  );

/** How many customers hold a search key, counting no further than DENSE (an index range read). */
const holders = (db: Kysely<Database>, gram: string) => countUpTo(db, gram, DENSE);
