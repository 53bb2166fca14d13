import type { D1Database } from '../../src/worker/d1.ts';

/** The D1 binding as the tests use it directly: plain SQL to arrange rows and to count what the Worker stored. */
export type RawD1 = D1Database;

export async function rows<T = Record<string, unknown>>(
  db: RawD1,
  sql: string,
  ...params: unknown[]
): Promise<T[]> {
  return (
    await db
      .prepare(sql)
      .bind(...params)
      .all<T>()
  ).results;
}

/**
 * The D1 binding with what reaches D1 counted: statements (each of a batch) and round trips (a batch is one). A
 * Worker booted with it in place of `env.DB` is a second instance on the same database.
 */
export function countingD1(db: RawD1) {
  const counts = { statements: 0, roundTrips: 0 };
  const statementOf = (real: ReturnType<RawD1['prepare']>): ReturnType<RawD1['prepare']> => {
    const statement: ReturnType<RawD1['prepare']> = {
      bind: (...values) => statementOf(real.bind(...values)),
      all: () => {
        counts.statements++;
        counts.roundTrips++;
        return real.all();
      },
    };
    reals.set(statement, real);
    return statement;
  };
  const reals = new WeakMap<object, ReturnType<RawD1['prepare']>>();
  const binding: RawD1 = {
    prepare: (query) => statementOf(db.prepare(query)),
    batch: (list) => {
      counts.statements += list.length;
      counts.roundTrips++;
      return db.batch(list.map((s) => reals.get(s) ?? s));
    },
  };
  return { binding, counts };
}
