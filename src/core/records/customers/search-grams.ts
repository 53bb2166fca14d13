import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { textMatches } from './search-full-text.ts';
import { DIGITS_KEY, grams, MAX_DIGIT_KEY, phoneDigits, searchNeedle } from './search-text.ts';

/** Whose customers a search reads: everyone's, a rep's (their own and the pool), or a manager's wider scope. */
export type Scoped = 'no' | 'rep' | 'wide';

export type Condition = (eb: ExpressionBuilder<Database, 'customers'>) => Expression<SqlBool>;
/** The customers a query may match (from the index, each once), and the condition that decides. */
export interface Match {
  candidates?: SelectQueryBuilder<Database, 'customer_search_grams', { customer_id: number }>;
  /** Few customers match, whatever the query: they are found first and every other filter reads only them. */
  narrow?: boolean;
  /** Many customers match: read in recency order, a rep's own customers and the pool each on their own. */
  walk?: boolean;
  where: Condition;
}

/** A gram held by more customers than this is common: matches are dense, the recency order finds them sooner. */
const DENSE = 5000;
/** Digits held by more customers than this are dense within a manager's scope (their teams' and the pool). */
const DENSE_IN_SCOPE = 20_000;
/** How many of a query's grams are probed for the rarest; beyond a few, more add little. */
const MAX_PROBES = 8;

/**
 * How `q` is matched on SQLite and D1, through `customer_search_grams` (see `searchKeys`):
 * - 4+ digits (a phone with +86, spaces or dashes, its last 4 or 8 digits): the exact key of 4 digits or a prefix
 *   range over the digit keys, or the id; digits held by many (a mobile prefix) are dense: the walk below;
 * - text with grams (2+ characters, 3+ in Latin script): the customers under the query's rarest gram (and the next
 *   rarest), verified by the `search_text LIKE` on that small set. When even the rarest is common, matches are
 *   dense: a walk in recency order (`customers_list`; a rep's own and the pool: `customers_owner`) with the LIKE
 *   stops after `limit` of them;
 * - one character (two in Latin script), or under 4 digits: that same walk, which may read the whole table when
 *   matches are rare.
 * PostgreSQL holds the same keys in a GIN-indexed tsvector; `fullTextMatch` chooses between the same two plans.
 */
export async function gramMatch(db: Kysely<Database>, q: string, scoped: Scoped): Promise<Match | 'nothing'> {
  const digits = phoneDigits(q);
  if (digits !== null && digits.length >= 4) {
    const key = DIGITS_KEY + digits.slice(0, MAX_DIGIT_KEY);
    const plainId = plainIdOf(q);
    const where = orCustomerId(() => textMatches(digits), plainId);
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
    // matches sooner than the index lists them. A walk in a scope skips the customers outside it too: dense later.
    const dense = scoped === 'no' ? DENSE : DENSE_IN_SCOPE;
    const count = await countRowsUpTo(db, withKey, dense);
    if (count >= dense) return { walk: true, where };
    // The holders, and the customer whose id the number is: every customer `where` may pass.
    const candidates = (
      plainId === null
        ? withKey
        : withKey.union(
            db
              .selectFrom('customers')
              .select('customers.id as customer_id')
              .where('customers.id', '=', plainId),
          )
    ) as Match['candidates'] & object;
    // A rep's two walks between: each customer looked up in the candidates first (+id: not the other way round, one
    // customer row read per candidate), so only matches are read.
    if (scoped === 'rep' && count >= DENSE)
      return {
        walk: true,
        where: (eb) => eb.and([eb(sql<number>`+customers.id`, 'in', candidates), where(eb)]),
      };
    return { candidates, where };
  }
  const needle = searchNeedle(q);
  const scan = { walk: true, where: () => textMatches(needle) };
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

/** The customer id a query typed as a bare number could be, or null. */
export const plainIdOf = (q: string): number | null => (/^\d{1,12}$/.test(q) ? Number(q) : null);

/** `found`, or (a query typed as a bare number) the customer with that id. */
export function orCustomerId(found: Condition, plainId: number | null): Condition {
  if (plainId === null) return found;
  return (eb) => eb.or([found(eb), eb('customers.id', '=', plainId)]);
}
