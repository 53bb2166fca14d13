import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionWaiters } from '../../db/connection-waiters.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';

const sqlite = dialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.each(sqlite)('work waiting for the database on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('is counted while a transaction holds the only connection, so the transaction can end early', async () => {
    expect(connectionWaiters(t.db)).toBe(0);
    let outside: Promise<unknown> | undefined;
    await t.db.transaction().execute(async (trx) => {
      await trx.selectFrom('tags').select('id').execute();
      outside = t.db.selectFrom('staff').select('id').execute();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(connectionWaiters(t.db)).toBe(1);
    });
    await outside;
    expect(connectionWaiters(t.db)).toBe(0);
  });
});
