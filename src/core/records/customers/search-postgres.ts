import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { hasSearchKeys, textMatches } from './search-full-text.ts';
import { type Condition, orCustomerId, plainIdOf } from './search-grams.ts';
import { DIGITS_KEY, digitWindows, grams, MAX_DIGIT_KEY, phoneDigits, searchNeedle } from './search-text.ts';

/** How PostgreSQL reads a query's matches (see `searchCustomers`). */
export interface FullTextMatch {
  /** Few customers match: all are read first (the GIN index), then filtered and sorted. */
  narrow?: boolean;
  /** Many match: read in recency order, each checked by the LIKE alone, until a page is full. */
  walk?: boolean;
  where: Condition;
}

/** How many of a query's grams are looked up; beyond a few, more add little. */
const MAX_PROBES = 8;
/**
 * Matches are dense when a walk in recency order (11 · customers / matches rows, each read at random) costs less than
 * reading every match from the GIN index (its whole posting list, then one heap row each): matches² ≥ this · customers.
 */
const DENSE_FACTOR = 25;

/**
 * The same keys and the same LIKE as SQLite's plan, through `customers.search_keys` (search-full-text.ts). The planner
 * costs a GIN bitmap far below what decoding tens of thousands of entries takes, and reads a rep's scope only after
 * each row: so the plan is chosen here, from its own estimate of how many customers hold the keys.
 */
export async function fullTextMatch(db: Kysely<Database>, q: string): Promise<FullTextMatch> {
  const digits = phoneDigits(q);
  if (digits !== null && digits.length >= 4) {
    const orId = (found: Condition) => orCustomerId(found, plainIdOf(q));
    // 8+ digits are in a few numbers at most: found first through the prefix of their keys.
    if (digits.length >= 8) {
      const keys = hasSearchKeys({ prefix: DIGITS_KEY + digits.slice(0, MAX_DIGIT_KEY) });
      return { narrow: true, where: orId((eb) => eb.and([keys, textMatches(digits)])) };
    }
    // Up to 7, exact 4-digit keys (one posting list each), whose statistics tell a mobile prefix from a last 4.
    const keys = hasSearchKeys({ all: digitWindows(digits).map((w) => DIGITS_KEY + w) });
    if (await isDense(db, keys)) return { walk: true, where: orId(() => holds(digits)) };
    return { narrow: true, where: orId((eb) => eb.and([keys, textMatches(digits)])) };
  }
  const needle = searchNeedle(q);
  const keys = grams(needle).slice(0, MAX_PROBES);
  if (digits !== null || keys.length === 0) return { walk: true, where: () => holds(needle) };
  const all = hasSearchKeys({ all: keys });
  if (await isDense(db, all)) return { walk: true, where: () => holds(needle) };
  return { narrow: true, where: (eb) => eb.and([all, textMatches(needle)]) };
}

/** Whether the planner expects enough customers to hold `keys` that the recency walk finds a page sooner. */
async function isDense(db: Kysely<Database>, keys: RawBuilder<SqlBool>): Promise<boolean> {
  // One round trip, nothing read: the estimates of both branches, from the table's statistics.
  const result = await sql<{ 'QUERY PLAN': Array<{ Plan: Estimate }> }>`
    explain (format json) select 1 from customers where ${keys} union all select 1 from customers`.execute(
    db,
  );
  const [holders, customers] = (result.rows[0]?.['QUERY PLAN'][0]?.Plan.Plans ?? []).map(
    (p) => p['Plan Rows'],
  );
  // Another plan shape (a parallel one): the GIN index, as before there was a choice.
  if (holders === undefined || customers === undefined) return false;
  return holders ** 2 >= DENSE_FACTOR * customers;
}

interface Estimate {
  'Plan Rows': number;
  Plans?: Estimate[];
}

/**
 * The LIKE of `textMatches` as the walk's check: PostgreSQL guesses a LIKE passes almost no row and would rather read
 * a rep's whole pool and sort it; of `strpos(…) > 0` it guesses a third, and reads in index order until a page is full.
 */
const holds = (needle: string) => sql<SqlBool>`strpos(customers.search_text, ${needle}) > 0`;
