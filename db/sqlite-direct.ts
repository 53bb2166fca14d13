import type { Kysely, QueryResult, SqliteDatabase } from 'kysely';

/** Embedded SQLite connections, by their Kysely adapter (which a database and its transactions share). */
const connections = new WeakMap<object, SqliteDatabase>();

/** Lets prepared queries inside `db`'s transactions run on `connection` directly (`runDirectly`). */
// biome-ignore lint/suspicious/noExplicitAny: any schema
export function runDirectlyInTransactions(db: Kysely<any>, connection: SqliteDatabase): void {
  connections.set(db.getExecutor().adapter, connection);
}

/**
 * Runs a compiled statement straight on the connection when `db` is a transaction on embedded SQLite (without
 * plugins); undefined anywhere else. Kysely's executor costs a few microseconds a query — as much as SQLite takes to
 * run a small indexed one — to hand out a connection a transaction already holds alone; outside a transaction it
 * must still queue for the one connection. Results have Kysely's shape.
 */
export function runDirectly<R>(
  // biome-ignore lint/suspicious/noExplicitAny: any schema
  db: Kysely<any>,
  sql: string,
  parameters: readonly unknown[],
): QueryResult<R> | undefined {
  if (!db.isTransaction) return undefined;
  const executor = db.getExecutor();
  const connection = connections.get(executor.adapter);
  if (!connection || executor.plugins.length > 0) return undefined;
  const statement = connection.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
}
