import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';
import { postgresAddress, postgresConnectError } from './connect-error.ts';
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
  const where = postgresAddress(connectionString);
  // A failed connection names the server and the likely cause, wherever it happens (start-up, CLI, later).
  const named: PostgresPool = {
    connect: () =>
      pool.connect().catch((error: unknown) => {
        throw postgresConnectError(error, where);
      }),
    end: () => pool.end(),
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: named }) });
}
