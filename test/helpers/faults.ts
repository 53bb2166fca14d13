import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * Makes every INSERT into `table` fail inside the database itself (a trigger), the way a full disk or a broken
 * constraint would: the application code runs unchanged. Returns a function that removes the fault.
 */
export async function failInserts(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  table: keyof Database,
  message = 'injected fault',
): Promise<() => Promise<void>> {
  const name = `fault_${table}`;
  if (dialect === 'sqlite') {
    await sql
      .raw(`create trigger ${name} before insert on ${table} begin select raise(abort, '${message}'); end`)
      .execute(db);
    return async () => {
      await sql.raw(`drop trigger ${name}`).execute(db);
    };
  }
  await sql
    .raw(
      `create function ${name}() returns trigger language plpgsql as $$ begin raise exception '${message}'; end $$;
       create trigger ${name} before insert on ${table} for each row execute function ${name}();`,
    )
    .execute(db);
  return async () => {
    await sql.raw(`drop trigger ${name} on ${table}; drop function ${name}();`).execute(db);
  };
}
