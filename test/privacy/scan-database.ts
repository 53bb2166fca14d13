import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Every place in the database a piece of text is still found: each table (from the catalogue, so tables added later
 * are searched too) and each column, read as text. Returns `table.column: text` per hit.
 */
export async function textsLeft(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  texts: string[],
): Promise<string[]> {
  const tables =
    dialect === 'sqlite'
      ? (
          await sql<{ name: string }>`
            select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
        ).rows.map((r) => r.name)
      : (
          await sql<{ name: string }>`
            select table_name as name from information_schema.tables
            where table_schema = current_schema()`.execute(db)
        ).rows.map((r) => r.name);
  const hits = new Set<string>();
  for (const table of tables) {
    // Every column as text, whatever its type (a tsvector, a number), so nothing escapes the search.
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (value === null || value === undefined) continue;
        const asText = typeof value === 'object' ? JSON.stringify(value) : String(value);
        for (const text of texts) if (asText.includes(text)) hits.add(`${table}.${column}: ${text}`);
      }
    }
  }
  return [...hits];
}

/** Tables with a `customer_id` column, from the catalogue. */
export async function tablesWithCustomerId(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
): Promise<string[]> {
  if (dialect === 'postgres') {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'customer_id'`.execute(db);
    return rows.map((r) => r.table_name).sort();
  }
  const { rows } = await sql<{ name: string }>`
    select m.name from sqlite_master m join pragma_table_info(m.name) c
    where m.type = 'table' and c.name = 'customer_id'`.execute(db);
  return rows.map((r) => r.name).sort();
}

/**
 * Makes every DELETE from `table` fail inside the database (a trigger), the way a crash between two statements would
 * stop an erasure half-way. Returns a function that removes the fault.
 */
export async function failDeletes(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  table: keyof Database,
): Promise<() => Promise<void>> {
  const name = `fault_delete_${table}`;
  if (dialect === 'sqlite') {
    await sql
      .raw(
        `create trigger ${name} before delete on ${table} begin select raise(abort, 'injected fault'); end`,
      )
      .execute(db);
    return async () => {
      await sql.raw(`drop trigger ${name}`).execute(db);
    };
  }
  await sql
    .raw(
      `create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'injected fault'; end $$;
       create trigger ${name} before delete on ${table} for each row execute function ${name}();`,
    )
    .execute(db);
  return async () => {
    await sql.raw(`drop trigger ${name} on ${table}; drop function ${name}();`).execute(db);
  };
}
