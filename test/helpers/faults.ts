import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Makes INSERTs into `table` fail inside the database itself (a trigger), the way a full disk or a broken constraint
 * would: the application code runs unchanged. With `when`, only rows whose column is LIKE the pattern fail. Returns a
 * function that removes the fault.
 */
export async function failInserts(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  table: keyof Database,
  message = 'injected fault',
  when?: { column: string; like: string },
): Promise<() => Promise<void>> {
  const name = `fault_${table}`;
  const condition = when ? `new.${when.column} like '${when.like}'` : 'true';
  if (dialect === 'sqlite') {
    await sql
      .raw(
        `create trigger ${name} before insert on ${table} when ${condition} begin select raise(abort, '${message}'); end`,
      )
      .execute(db);
    return async () => {
      await sql.raw(`drop trigger ${name}`).execute(db);
    };
  }
  // One statement a query: PGlite, like any extended-protocol client, refuses several in one prepared statement.
  await sql
    .raw(
      `create function ${name}() returns trigger language plpgsql as $$ begin
         if ${condition} then raise exception '${message}'; end if; return new; end $$`,
    )
    .execute(db);
  await sql
    .raw(`create trigger ${name} before insert on ${table} for each row execute function ${name}()`)
    .execute(db);
  return async () => {
    await sql.raw(`drop trigger ${name} on ${table}`).execute(db);
    await sql.raw(`drop function ${name}()`).execute(db);
  };
}
