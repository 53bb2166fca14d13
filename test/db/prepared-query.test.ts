import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres.ts';
import { preparedInsert, preparedQuery } from '../../db/prepared.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';

// Shared by every dialect below, as the app's queries are: each database gets the SQL of its own dialect.
const tagsNamed = preparedQuery((db, v: { prefix: string; createdAfter: number }) =>
  db
    .selectFrom('tags')
    .select(['id', 'name'])
    .where('name', 'like', v.prefix)
    .where('created_at', '>', v.createdAfter)
    .where('group_name', 'is', null)
    .orderBy('id')
    .limit(3),
);
const newTag = preparedQuery((db, v: { name: string; at: number }) =>
  db
    .insertInto('tags')
    .values({ name: v.name, group_name: null, created_at: v.at })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id'),
);

const tagInsert = preparedInsert((db, v: { name: string; at: number }) =>
  db
    .insertInto('tags')
    .values({ name: v.name, group_name: null, created_at: v.at })
    .onConflict((oc) => oc.column('name').doNothing()),
);
const tagRename = preparedQuery((db, v: { from: string; to: string }) =>
  db.updateTable('tags').set({ name: v.to }).where('name', '=', v.from),
);

describe.each(dialectsUnderTest())('a prepared query on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('runs with each call’s values what the query built anew would, also inside a transaction', async () => {
    for (let n = 0; n < 12; n++)
      expect(await newTag.first(t.db, { name: `tag ${n % 2 ? 'a' : 'b'}${n}`, at: n })).toBeDefined();
    expect(await newTag.first(t.db, { name: 'tag a1', at: 99 })).toBeUndefined(); // there already: nothing returned
    const direct = (prefix: string, createdAfter: number) =>
      t.db
        .selectFrom('tags')
        .select(['id', 'name'])
        .where('name', 'like', prefix)
        .where('created_at', '>', createdAfter)
        .where('group_name', 'is', null)
        .orderBy('id')
        .limit(3)
        .execute();
    for (const [prefix, after] of [
      ['tag a%', -1],
      ['tag b%', 4],
      ['tag %', 8],
      ['nothing%', -1],
    ] as const) {
      const expected = await direct(prefix, after);
      expect(await tagsNamed.all(t.db, { prefix, createdAfter: after })).toEqual(expected);
      expect(expected.length).toBeLessThanOrEqual(3); // the limit the query fixed itself stays
    }
    await t.db.transaction().execute(async (trx) => {
      expect(await newTag.first(trx, { name: 'in transaction', at: 50 })).toBeDefined();
      expect((await tagsNamed.all(trx, { prefix: 'in trans%', createdAfter: 0 })).map((r) => r.name)).toEqual(
        ['in transaction'],
      );
    });
  });

  it('writes a whole-number LIMIT into its SQL (SQLite paid for a bound one at every run); a value’s stays bound', async () => {
    expect(tagsNamed.sql(t.db)).toMatch(/ limit 3$/);
    const limited = preparedQuery((db, v: { limit: number }) =>
      db.selectFrom('tags').select('name').orderBy('id').limit(v.limit),
    );
    expect(limited.sql(t.db)).toMatch(/ limit (\?|\$1)$/);
    expect(await limited.all(t.db, { limit: 2 })).toHaveLength(2);
  });

  it('refuses a value missing, and a value put into the SQL text, before running anything', async () => {
    await expect(tagsNamed.all(t.db, { prefix: 'tag%' } as never)).rejects.toThrow(/createdAfter/);
    const spliced = preparedQuery((db, v: { name: string }) =>
      db
        .selectFrom('tags')
        .select('id')
        .where(sql.raw<boolean>(`name = '${v.name}'`)),
    );
    await expect(spliced.all(t.db, { name: "x' or '1'='1" })).rejects.toThrow(/SQL text/);
  });

  it('tells the id an insert added, nothing when a conflict left the row out, and whether a write changed a row', async () => {
    const first = await tagInsert.insertedId(t.db, { name: 'inserted once', at: 1 });
    const row = await t.db
      .selectFrom('tags')
      .select('id')
      .where('name', '=', 'inserted once')
      .executeTakeFirst();
    expect(first).toBe(row?.id);
    // Another insert in between must not leak its id into the conflicting one's answer.
    const second = await tagInsert.insertedId(t.db, { name: 'inserted twice', at: 2 });
    expect(second).toBeGreaterThan(first as number);
    expect(await tagInsert.insertedId(t.db, { name: 'inserted once', at: 3 })).toBeUndefined();
    await t.db.transaction().execute(async (trx) => {
      expect(await tagInsert.insertedId(trx, { name: 'inserted in a transaction', at: 4 })).toBeGreaterThan(
        second as number,
      );
      expect(await tagInsert.insertedId(trx, { name: 'inserted twice', at: 5 })).toBeUndefined();
    });
    expect(await tagRename.changed(t.db, { from: 'inserted twice', to: 'renamed' })).toBe(true);
    expect(await tagRename.changed(t.db, { from: 'inserted twice', to: 'renamed' })).toBe(false);
  });

  it('inside a transaction: a failing statement rejects, and the rollback takes back what the others wrote', async () => {
    const strictInsert = preparedQuery((db, v: { name: string }) =>
      db.insertInto('tags').values({ name: v.name, group_name: null, created_at: 1 }),
    );
    await strictInsert.execute(t.db, { name: 'taken' });
    await expect(
      t.db.transaction().execute(async (trx) => {
        expect(await tagInsert.insertedId(trx, { name: 'written then undone', at: 1 })).toBeDefined();
        // A rejection, never an exception thrown at the call (a caller's `.catch` would miss it).
        let thrownAtCall = false;
        let failing: Promise<unknown> = Promise.resolve();
        try {
          failing = strictInsert.execute(trx, { name: 'taken' });
        } catch {
          thrownAtCall = true;
        }
        expect(thrownAtCall).toBe(false);
        await failing;
      }),
    ).rejects.toThrow(/unique|duplicate/i);
    expect(await tagsNamed.all(t.db, { prefix: 'written then undone', createdAfter: 0 })).toEqual([]);
  });

  it('outside a transaction, a write never joins one that is running: a rollback leaves it in place', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let outside: Promise<number | undefined> | undefined;
    const rolledBack = t.db.transaction().execute(async (trx) => {
      await tagInsert.insertedId(trx, { name: 'inside, undone', at: 1 });
      // Written meanwhile through the database, not the transaction (SQLite: it waits for the one connection).
      outside = tagInsert.insertedId(t.db, { name: 'outside, kept', at: 1 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await gate;
      throw new Error('rolled back on purpose');
    });
    open();
    await expect(rolledBack).rejects.toThrow('rolled back on purpose');
    expect(await outside).toBeDefined();
    const names = (await tagsNamed.all(t.db, { prefix: '%, %', createdAfter: 0 })).map((r) => r.name);
    expect(names).toEqual(['outside, kept']);
  });
});

describe.each(dialectsUnderTest().filter((d) => d.name === 'postgres'))(
  'a prepared query on $name',
  (dialect) => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await dialect.open();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    // The statements this connection holds prepared, by their SQL.
    const preparedOn = async (db: typeof t.db) =>
      (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map(
        (r) => r.statement,
      );
    const staffRows = preparedQuery((db, v: { id: number }) =>
      db.selectFrom('staff').selectAll().where('id', '=', v.id),
    );

    it('is parsed and planned once per connection (a named statement), and still runs after a migration adds a column', async () => {
      await t.db.connection().execute(async (conn) => {
        for (const prefix of ['tag%', 'x%']) await tagsNamed.all(conn, { prefix, createdAfter: 0 });
        await staffRows.all(conn, { id: 1 });
        const prepared = await preparedOn(conn);
        expect(prepared).toContain(tagsNamed.sql(conn));
        // `*` is never named: a column added later would make PostgreSQL refuse the prepared plan's new row type.
        expect(prepared).not.toContain(staffRows.sql(conn));
        await newTag.first(conn, { name: 'before the column', at: 1 });
        await sql`alter table tags add column colour text`.execute(conn);
        await sql`alter table staff add column nickname text`.execute(conn);
        expect(
          (await tagsNamed.all(conn, { prefix: 'before%', createdAfter: 0 })).map((r) => r.name),
        ).toEqual(['before the column']);
        await staffRows.all(conn, { id: 1 });
      });
    });

    it('runs unnamed when named statements are turned off (a pooler that moves transactions between connections)', async () => {
      const unnamed = openPostgres(t.url as string, 1, { namedStatements: false });
      try {
        await unnamed.connection().execute(async (conn) => {
          await tagsNamed.all(conn, { prefix: 'tag%', createdAfter: 0 });
          expect(await preparedOn(conn)).toEqual([]);
        });
      } finally {
        await unnamed.destroy();
      }
    });
  },
);
