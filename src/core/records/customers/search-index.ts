import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../../../db/dialect.ts';
import { preparedQuery } from '../../../../db/prepared.ts';
import type { Database } from '../../../../db/schema.ts';
import { append } from '../../kernel/appends.ts';
import { eachSearchTextBatch } from './search-batches.ts';
import { indexCustomerFullText, rebuildFullText, writeFullTextKeys } from './search-full-text.ts';
import { SEARCH_KEYS_VERSION, searchKeys } from './search-text.ts';

// D1 binds at most 100 parameters per statement: a deleted key takes 1 (plus the customer id). Inserted keys go as one
// JSON value, kept well under D1's 100 KB statements and 2 MB values.
const KEYS_PER_DELETE = 90;
const KEYS_PER_INSERT = 2_000;

/**
 * Brings what `/find` matches in line with a customer's current `search_text`; call it after every write of
 * `search_text`. PostgreSQL: the customer's `search_keys` tsvector (search-full-text.ts); SQLite and D1: their rows in
 * `customer_search_grams`.
 */
export async function indexCustomerSearch(db: Kysely<Database>, customerId: number): Promise<void> {
  if (isPostgres(db)) return indexCustomerFullText(db, customerId);
  return indexCustomerGrams(db, customerId);
}

/** Indexes every customer from their stored `search_text` (upgrade backfills); an interrupted run is run again. */
export function rebuildSearchIndex(db: Kysely<Database>): Promise<number> {
  return isPostgres(db) ? rebuildFullText(db) : rebuildGramTable(db);
}

/**
 * Run after migrating: when the stored keys were made by another version of `searchKeys` (or never, on a database
 * upgraded from before the index), rebuilds every customer's keys and records the version. Returns how many customers
 * were indexed (0 when the index was current). Two instances starting at once both rebuild: the result is the same.
 */
export async function bringSearchIndexUpToDate(db: Kysely<Database>, now: number): Promise<number> {
  const stored = await db
    .selectFrom('derived_data')
    .select('version')
    .where('name', '=', SEARCH_KEYS)
    .executeTakeFirst();
  if (stored?.version === SEARCH_KEYS_VERSION) return 0;
  // Keys of another version would linger beside the new ones (the gram rebuild only inserts).
  if (!isPostgres(db)) await db.deleteFrom('customer_search_grams').execute();
  const indexed = await rebuildSearchIndex(db);
  // Every customer's keys were rewritten: without fresh statistics (autovacuum may be off or late) PostgreSQL takes
  // a common key for a rare one and reads all its customers instead of walking the most recent (1.5 s, not 1 ms).
  if (isPostgres(db) && indexed > 0) await sql`analyze customers`.execute(db);
  await db
    .insertInto('derived_data')
    .values({ name: SEARCH_KEYS, version: SEARCH_KEYS_VERSION, built_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ version: SEARCH_KEYS_VERSION, built_at: now }))
    .execute();
  return indexed;
}

const SEARCH_KEYS = 'search_keys';

/**
 * Brings a customer's rows in `customer_search_grams` in line with their `search_text`. Writes only the difference,
 * each statement idempotent (no transaction, D1): re-running after a crash converges, and a merged-away customer
 * keeps no keys (it never appears in a search).
 */
async function indexCustomerGrams(db: Kysely<Database>, customerId: number): Promise<void> {
  const [customer, present] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['search_text', 'merged_into_id'])
      .where('id', '=', customerId)
      .executeTakeFirst(),
    db.selectFrom('customer_search_grams').select('gram').where('customer_id', '=', customerId).execute(),
  ]);
  const wanted = new Set(
    customer && customer.merged_into_id === null ? searchKeys(customer.search_text) : [],
  );
  const have = new Set(present.map((r) => r.gram));
  const stale = [...have].filter((k) => !wanted.has(k));
  for (const keys of chunks(stale, KEYS_PER_DELETE)) {
    await db
      .deleteFrom('customer_search_grams')
      .where('customer_id', '=', customerId)
      .where('gram', 'in', keys)
      .execute();
  }
  await insertKeys(
    db,
    [...wanted].filter((k) => !have.has(k)).map((gram) => [gram, customerId]),
  );
}

/**
 * Fills `customer_search_grams` for every customer from their stored `search_text`, in batches of customers by id
 * (the table's backfill, whatever the dialect). Insert-only and idempotent: an interrupted run is simply run again.
 */
export function rebuildGramTable(db: Kysely<Database>, batch = 1000): Promise<number> {
  return eachSearchTextBatch(db, batch, (rows) => insertGramKeys(db, rows));
}

/**
 * Indexes customers created just now (an import), a batch of them per statement instead of one customer at a time.
 * Only for customers with no keys yet: it adds keys and removes none (`indexCustomerSearch` brings any one up to date).
 */
export async function indexNewCustomers(db: Kysely<Database>, customerIds: number[]): Promise<void> {
  for (const ids of chunks(customerIds, KEYS_PER_DELETE)) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'search_text'])
      .where('id', 'in', ids)
      .where('merged_into_id', 'is', null)
      .execute();
    await writeNewCustomersKeys(db, rows);
  }
}

/**
 * Indexes a customer inserted just now (it has no keys to compare with): keys written without reading anything back;
 * within an inbox transaction, with the other new customers' keys just before it commits (appends.ts).
 */
export function indexCreatedCustomer(
  db: Kysely<Database>,
  customer: { id: number; search_text: string },
): Promise<void> {
  return append(db, 'new-customer-keys', customer, writeNewCustomersKeys);
}

/** Writes the keys of customers who have none yet, from their search text, whatever their number. */
async function writeNewCustomersKeys(
  db: Kysely<Database>,
  customers: Array<{ id: number; search_text: string }>,
): Promise<void> {
  await (isPostgres(db) ? writeFullTextKeys(db, customers) : insertGramKeys(db, customers));
}

const insertGramKeys = (db: Kysely<Database>, rows: Array<{ id: number; search_text: string }>) =>
  insertKeys(
    db,
    rows.flatMap((r) => searchKeys(r.search_text).map((gram): [string, number] => [gram, r.id])),
  );

/** Inserts `[key, customer id]` pairs, a JSON array of them a statement, keys already there left as they are. */
async function insertKeys(db: Kysely<Database>, pairs: Array<[string, number]>) {
  for (const some of chunks(pairs, KEYS_PER_INSERT))
    await newGrams.execute(db, { pairs: JSON.stringify(some) });
}

const newGrams = preparedQuery((db, v: { pairs: string }) =>
  db
    .insertInto('customer_search_grams')
    .orIgnore()
    .columns(['gram', 'customer_id'])
    .expression((eb) =>
      eb
        .selectFrom(sql<{ value: string }>`json_each(${v.pairs})`.as('k'))
        .select([
          sql<string>`json_extract(k.value, '$[0]')`.as('gram'),
          sql<number>`json_extract(k.value, '$[1]')`.as('customer_id'),
        ]),
    ),
);

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
