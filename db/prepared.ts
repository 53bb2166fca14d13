import {
  type Compilable,
  type CompiledQuery,
  createQueryId,
  type InsertQueryBuilder,
  type InsertResult,
  type Kysely,
  type LimitNode,
  OperationNodeTransformer,
  type QueryResult,
  type RootOperationNode,
  sql,
  ValueNode,
} from 'kysely';
import { isPostgres } from './dialect.ts';
import type { Database } from './schema.ts';
import { runDirectly } from './sqlite-direct.ts';
import { nameStatement } from './statement-names.ts';

type Slot = { name: string } | { value: unknown };
interface Compiled {
  query: CompiledQuery;
  /** Each parameter of the SQL: a value the caller gives by name, or one the query fixed. */
  slots: Slot[];
}

/** Marks a value's place while the query is built: a string no caller's value is (it holds NUL characters). */
const placeholder = (name: string) => `\u0000${name}\u0000`;

export interface PreparedQuery<V, R> {
  /** The SQL it runs on `db`'s dialect. */
  sql(db: Kysely<Database>): string;
  execute(db: Kysely<Database>, values: V): Promise<QueryResult<R>>;
  all(db: Kysely<Database>, values: V): Promise<R[]>;
  first(db: Kysely<Database>, values: V): Promise<R | undefined>;
  /** Whether the write changed any row: what RETURNING would tell, without its cost on SQLite (`preparedInsert`). */
  changed(db: Kysely<Database>, values: V): Promise<boolean>;
}

/**
 * A query of a fixed shape, built and compiled once per dialect, then run with new values. Kysely builds and compiles
 * every query anew, which takes longer than SQLite takes to run a small indexed one, and the inbox runs a couple of
 * dozen per customer message. `build` gets placeholders for the values: the SQL must not depend on them (no `in`
 * lists, no clause added or left out by value, no `= ?` for a value that may be null), and a placeholder must never
 * reach the SQL text itself (checked).
 */
export function preparedQuery<V extends object, R>(
  build: (db: Kysely<Database>, values: V) => Compilable<R>,
): PreparedQuery<V, R> {
  // Per dialect adapter: a database and its transactions share one.
  const compiled = new WeakMap<object, Compiled>();
  const compile = (db: Kysely<Database>): Compiled => {
    const adapter = db.getExecutor().adapter;
    const known = compiled.get(adapter);
    if (known) return known;
    const names = new Map<string, string>();
    const values = new Proxy({} as V, {
      get: (_target, name) => {
        const mark = placeholder(String(name));
        names.set(mark, String(name));
        return mark;
      },
    });
    const query = compileWithLiteralLimit(db, build(db, values));
    if (query.sql.includes('\u0000')) throw new Error('a prepared query put a value into its SQL text');
    if (isPostgres(db)) nameStatement(query.sql);
    const slots = query.parameters.map((value): Slot => {
      const name = typeof value === 'string' ? names.get(value) : undefined;
      return name === undefined ? { value } : { name };
    });
    const made = { query, slots };
    compiled.set(adapter, made);
    return made;
  };
  const execute = (db: Kysely<Database>, values: V): Promise<QueryResult<R>> => {
    const { query, slots } = compile(db);
    const parameters = slots.map((slot) => {
      if (!('name' in slot)) return slot.value;
      const value = (values as Record<string, unknown>)[slot.name];
      if (value === undefined) throw new Error(`a prepared query was not given ${slot.name}`);
      return value;
    });
    try {
      const direct = runDirectly<R>(db, query.sql, parameters);
      if (direct) return Promise.resolve(direct);
    } catch (error) {
      return Promise.reject(error);
    }
    return db.executeQuery<R>({ ...query, parameters, queryId: createQueryId() } as CompiledQuery<R>);
  };
  return {
    sql: (db) => compile(db).query.sql,
    execute,
    all: async (db, values) => (await execute(db, values)).rows,
    first: async (db, values) => (await execute(db, values)).rows[0],
    changed: async (db, values) => changedRows(await execute(db, values)),
  };
}

/** A prepared `insert … on conflict do nothing` into a table whose `id` is its key (the rowid on SQLite). */
export interface PreparedInsert<V> {
  /** The id of the row it added, or undefined when a conflict left the row out. */
  insertedId(db: Kysely<Database>, values: V): Promise<number | undefined>;
}

/**
 * Like `preparedQuery`, for an insert whose caller needs the new row's id. `build` leaves out RETURNING: on SQLite
 * (and D1) that makes the statement buffer its rows in a temporary table (~8 µs per insert), while the statement's own
 * result has the count and the new rowid. PostgreSQL has no such result, so there the id is returned.
 */
export function preparedInsert<V extends object, T extends keyof Database>(
  build: (db: Kysely<Database>, values: V) => InsertQueryBuilder<Database, T, InsertResult>,
): PreparedInsert<V> {
  const query = preparedQuery((db, values: V) => {
    const insert = build(db, values);
    return (isPostgres(db) ? insert.returning(sql<number>`id`.as('id')) : insert) as Compilable<{
      id: number;
    }>;
  });
  return {
    insertedId: async (db, values) => {
      const result = await query.execute(db, values);
      if (isPostgres(db)) return result.rows[0]?.id;
      return changedRows(result) ? Number(result.insertId) : undefined;
    },
  };
}

/**
 * A prepared query's whole-number LIMIT is written into its SQL. Bound, SQLite (3.53) paid for it at every run as if
 * preparing the statement again, more the larger the statement: a one-row lookup took 6 µs with `limit ?` and 1.7 µs
 * with `limit 1`, one with two joins and a subquery 28 and 4 µs. Only for queries of a fixed shape: written in for
 * every query, it made `/find`'s admin queries 2–3× slower at p95.
 */
function compileWithLiteralLimit<R>(db: Kysely<Database>, built: Compilable<R>): CompiledQuery<R> {
  if (!('toOperationNode' in built)) return built.compile();
  const node = (built as { toOperationNode(): RootOperationNode }).toOperationNode();
  return db.getExecutor().compileQuery(new LiteralLimit().transformNode(node), createQueryId());
}

class LiteralLimit extends OperationNodeTransformer {
  protected override transformLimit(node: LimitNode): LimitNode {
    const { limit } = node;
    const whole =
      ValueNode.is(limit) &&
      typeof limit.value === 'number' &&
      Number.isSafeInteger(limit.value) &&
      limit.value >= 0;
    return whole ? { ...node, limit: ValueNode.createImmediate(limit.value) } : super.transformLimit(node);
  }
}

const changedRows = (result: QueryResult<unknown>): boolean => (result.numAffectedRows ?? 0n) > 0n;
