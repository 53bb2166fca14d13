import { type Kysely, Migrator, sql } from 'kysely';
import { isPostgres } from './dialect.ts';
import { staticMigrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';

/** The migrator of this database: Liaison's migrations, its tables in the schema the app works in. */
export async function migratorFor(db: Kysely<Database>): Promise<Migrator> {
  return new Migrator({
    db,
    provider: staticMigrationProvider,
    // PostgreSQL: the migration tables of this schema (the first on the search path). Left unnamed, Kysely takes a
    // `kysely_migration` table in any schema of the database as its own — another app's, or another Liaison's.
    ...(isPostgres(db) ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
}

/** Applies every pending migration; throws with the failing migration's name and cause, or the database's own error. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = await migratorFor(db);
  let { error, results } = await migrator.migrateToLatest();
  // Kysely looks for its tables across every schema of the database; another schema dropped meanwhile (another app,
  // another Liaison's, a test's) fails that look-up with 3F000 naming it. Nothing was applied: look again.
  for (let retry = 0; retry < 3 && !results?.length && otherSchemaVanished(error); retry++)
    ({ error, results } = await migrator.migrateToLatest());
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Only a migration that ran and failed is a migration failure: a database that cannot be opened says so itself.
    throw failed
      ? new Error(`database migration failed in ${failed.migrationName}: ${message}`, { cause: error })
      : error;
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function otherSchemaVanished(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === '3F000' &&
    /^schema ".+" does not exist$/.test((error as Error).message)
  );
}

async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('database migration failed: no schema on the search path to hold the tables');
  return schema;
}
