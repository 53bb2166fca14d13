import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { eachSearchTextBatch } from './search-batches.ts';
import { escapeLike, searchKeys } from './search-text.ts';

// PostgreSQL keeps a customer's search keys (the same keys as SQLite's `customer_search_grams`, see `searchKeys`) in
// one `customers.search_keys` tsvector under a GIN index: one row per customer instead of one per key, and the
// planner intersects the keys of a query itself. The lexemes are taken as they are (array_to_tsvector and a quoted
// tsquery parse nothing), so a query matches the same customers as on SQLite: Chinese needs no text-search parser.

/** Writes one customer's search keys; a merged-away customer keeps none (it never appears in a search). */
export async function indexCustomerFullText(db: Kysely<Database>, customerId: number): Promise<void> {
  const customer = await db
    .selectFrom('customers')
    .select(['search_text', 'merged_into_id'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) return;
  const keys = customer.merged_into_id === null ? searchKeys(customer.search_text) : [];
  await sql`update customers set search_keys = ${toTsvector(keys)} where id = ${customerId}`.execute(db);
}

/** Writes the search keys of every customer from their stored `search_text`, a batch of customers per statement. */
export function rebuildFullText(db: Kysely<Database>, batch = 1000): Promise<number> {
  return eachSearchTextBatch(db, batch, (rows) => writeFullTextKeys(db, rows));
}

/** Writes the search keys of these customers (unmerged, with their current search text) in one statement. */
export async function writeFullTextKeys(
  db: Kysely<Database>,
  rows: Array<{ id: number; search_text: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  const keysById = JSON.stringify(rows.map((r) => ({ id: r.id, keys: searchKeys(r.search_text) })));
  await sql`
    update customers as c
    set search_keys = array_to_tsvector(array(select jsonb_array_elements_text(v.keys)))
    from jsonb_to_recordset(cast(${keysById} as jsonb)) as v(id bigint, keys jsonb)
    where c.id = v.id`.execute(db);
}

/** True where a customer holds every one of `keys` (exact lexemes) or, with `prefix`, a key starting with it. */
export function hasSearchKeys(keys: { all: string[] } | { prefix: string }): RawBuilder<SqlBool> {
  const query = 'prefix' in keys ? `${lexeme(keys.prefix)}:*` : keys.all.map(lexeme).join(' & ');
  return sql<SqlBool>`customers.search_keys @@ cast(${query} as tsquery)`;
}

/** A lexeme quoted for tsquery input: taken literally, whatever its characters. */
const lexeme = (key: string) => `'${key.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

const toTsvector = (keys: string[]) =>
  sql`array_to_tsvector(array(select jsonb_array_elements_text(cast(${JSON.stringify(keys)} as jsonb))))`;

/** The customer's search text holds `needle` (the check every search-key hit is verified by). */
export const textMatches = (needle: string) =>
  sql<SqlBool>`customers.search_text like ${`%${escapeLike(needle)}%`} escape '\\'`;
