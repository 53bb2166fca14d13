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
