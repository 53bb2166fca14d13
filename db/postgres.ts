import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

const INT8_OID = 20;

/** Connects to PostgreSQL; BIGINT values (ids, epoch-ms times, counts) come back as numbers, not strings. */
export function openPostgres(connectionString: string, maxConnections = 10): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
