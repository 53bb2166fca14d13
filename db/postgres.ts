import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { postgresAddress, postgresConnectError } from './connect-error.ts';
import type { Database } from './schema.ts';

const INT8_OID = 20;

/**
 * Connects to PostgreSQL; BIGINT values (ids, epoch-ms times, counts) come back as numbers, not strings. `pg` is
 * imported at the first query, so a server on SQLite never loads it (~2–3 MiB of heap).
 */
export function openPostgres(connectionString: string, maxConnections = 10): Kysely<Database> {
  const where = postgresAddress(connectionString);
  const pool = async (): Promise<PostgresPool> => {
    const { default: pg } = await import('pg');
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
    // A failed connection names the server and the likely cause, wherever it happens (start-up, CLI, later).
    return {
      connect: () =>
        pool.connect().catch((error: unknown) => {
          throw postgresConnectError(error, where);
        }),
      end: () => pool.end(),
    };
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
