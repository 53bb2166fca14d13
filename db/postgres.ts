import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { postgresAddress, postgresConnectError } from './connect-error.ts';
import type { Database } from './schema.ts';
import { statementName } from './statement-names.ts';

const INT8_OID = 20;

export interface PostgresOptions {
  /**
   * Run prepared queries as named statements, parsed and planned once per connection (default). Off for a pooler
   * that hands each transaction another server connection without carrying them (PgBouncer before 1.21, or without
   * `max_prepared_statements`).
   */
  namedStatements?: boolean;
}

/**
 * Connects to PostgreSQL; BIGINT values (ids, epoch-ms times, counts) come back as numbers, not strings. `pg` is
 * imported at the first query, so a server on SQLite never loads it (~2–3 MiB of heap).
 */
export function openPostgres(
  connectionString: string,
  maxConnections = 10,
  o: PostgresOptions = {},
): Kysely<Database> {
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
      connect: async () => {
        const client = await pool.connect().catch((error: unknown) => {
          throw postgresConnectError(error, where);
        });
        return o.namedStatements === false ? client : runningNamedStatements(client);
      },
      end: () => pool.end(),
    };
  };
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

type PoolClient = Awaited<ReturnType<PostgresPool['connect']>>;
const named = new WeakSet<PoolClient>();

/**
 * The client with prepared queries' SQL sent by name (`statement-names.ts`). A statement parsed and planned anew at
 * every run cost PostgreSQL about a third of a small query's time on a 2-core machine (110 against 80 µs).
 */
function runningNamedStatements(client: PoolClient): PoolClient {
  if (named.has(client)) return client; // the pool hands the same clients out again
  named.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  client.query = ((text: unknown, values?: unknown, ...rest: unknown[]) => {
    const name = typeof text === 'string' && Array.isArray(values) ? statementName(text) : undefined;
    return name ? query({ name, text, values }) : query(text, values, ...rest);
  }) as PoolClient['query'];
  return client;
}
