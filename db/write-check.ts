import { type Kysely, sql } from 'kysely';
import { isPostgres } from './dialect.ts';
import type { Database } from './schema.ts';

/** Asks the database the smallest question: throws what opening or connecting failed with. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** True for an error saying the database takes no writes: a read-only SQLite file or folder, a PostgreSQL standby. */
export function isReadOnlyError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    // 25006: read_only_sql_transaction (a hot standby, or default_transaction_read_only).
    if (code.startsWith('SQLITE_READONLY') || code === '25006' || /\bread-?only\b/i.test(e.message))
      return true;
  }
  return false;
}

/**
 * Why this (migrated) database cannot take writes, or null when it can. A statement that writes nothing but needs
 * write access — it fails on a read-only SQLite file and on a read-only PostgreSQL session. Any other error (a busy
 * lock, a missing table) says nothing about writability and gives null: the caller's other checks see those.
 */
export async function databaseWriteProblem(db: Kysely<Database>): Promise<string | null> {
  try {
    await sql`delete from kysely_migration where 1 = 0`.execute(db);
    return null;
  } catch (error) {
    if (!isReadOnlyError(error)) return null;
    return isPostgres(db)
      ? 'it is read-only (a standby, or default_transaction_read_only): every write would fail — use the primary'
      : 'the file is read-only: every write would fail — make the file and its folder writable for the user running Liaison';
  }
}
