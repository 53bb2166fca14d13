import type { AnyDb } from './helpers.ts';

/**
 * Derived data (the `/find` keys today) is rebuilt by the app, not by migrations: `derived_data` records which
 * version of each derivation the stored rows were made with. A name that is missing, or holds an older version than
 * the code's, is rebuilt after migrating — so a database upgraded from before the search index gets its keys, and a
 * change to how keys are made reindexes every customer once.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('derived_data')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('built_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('derived_data').execute();
}
