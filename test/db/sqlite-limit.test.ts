import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import { openSqlite } from '../../db/sqlite.ts';

// A bound LIMIT makes SQLite prepare the statement again at every run; a written one does not (db/sqlite-compiler.ts).
describe('LIMIT on SQLite', () => {
  const db = openSqlite(':memory:');
  beforeAll(async () => {
    await migrateToLatest(db);
    await db
      .insertInto('tags')
      .values(['a', 'b', 'c', 'd', 'e'].map((name, i) => ({ name, group_name: null, created_at: i })))
      .execute();
  });
  afterAll(async () => {
    await db.destroy();
  });
  const page = (limit: number, offset: number) =>
    db.selectFrom('tags').select('name').orderBy('created_at').limit(limit).offset(offset);

  it('is written into the SQL as a whole number, while OFFSET stays bound', async () => {
    const compiled = page(2, 4).compile();
    expect(compiled.sql).toMatch(/ limit 2 offset \?$/);
    expect(compiled.parameters).toEqual([4]);
    const names = async (limit: number, offset: number) =>
      (await page(limit, offset).execute()).map((r) => r.name);
    expect(await names(2, 0)).toEqual(['a', 'b']);
    expect(await names(2, 2)).toEqual(['c', 'd']);
    expect(await names(2, 4)).toEqual(['e']);
    expect(await names(0, 0)).toEqual([]);
  });

  it('stays bound when it is not a whole number, so nothing but digits reaches the SQL', () => {
    for (const odd of [2.5, -1, Number.NaN, '1; drop table tags' as unknown as number]) {
      const compiled = db.selectFrom('tags').select('name').limit(odd).compile();
      expect(compiled.sql).toMatch(/ limit \?$/);
      expect(compiled.parameters).toEqual([odd]);
    }
  });
});
