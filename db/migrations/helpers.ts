import type { CreateTableBuilder, Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export { isPostgres };

// Migrations take Kysely<any>: they describe the schema before the typed interface exists.
// biome-ignore lint/suspicious/noExplicitAny: migrations run against an untyped schema by design
export type AnyDb = Kysely<any>;

/** Adds an auto-increment primary key `id` that is never reused (ids are shown to users as `#id`). */
export function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  return isPostgres(db)
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
