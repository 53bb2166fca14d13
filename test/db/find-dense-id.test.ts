import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../db/dialect.ts';
import { searchCustomers } from '../../src/core/records/customers/search.ts';
import { indexNewCustomers } from '../../src/core/records/customers/search-index.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { insertStaff } from '../helpers/staff-rows.ts';

// A number typed alone is also a customer id (`/find 7777`): found even when the digits are common and read in
// recency order, as a rep's own customers and the pool are, and even when that customer's text lacks the digits.

const HOLDERS = 5200;

describe.each(dialectsUnderTest())('/find of common digits that are also an id on $name', (dialect) => {
  let t: TestDatabase;
  let rep = 0;

  beforeAll(async () => {
    t = await dialect.open();
    rep = await insertStaff(t.db, '张三');
    const other = await insertStaff(t.db, '李四');
    const customer = (i: number, phone: string, at: number, owner: number | null) => ({
      display_name: `客户${i}`,
      phone,
      owner_staff_id: owner,
      stage: 'lead',
      language: 'zh',
      source: 'test',
      do_not_contact: 0,
      origin_key: `dense-id:${i}`,
      search_text: `客户${i}\n${phone}`,
      first_contact_at: 1,
      last_contact_at: at,
      created_at: 1,
      updated_at: 1,
    });
    // Every number holds "7777"; owners spread over the rep, another rep and the pool.
    const values = Array.from({ length: HOLDERS }, (_, i) =>
      customer(i, `1397777${String(i).padStart(4, '0')}`, 1000 + i, [rep, other, null][i % 3] ?? null),
    );
    // Customer 7777, in the pool, contacted last, without those digits anywhere.
    values.push({ ...customer(HOLDERS, '13600000000', 999_999, null), id: 7777 } as (typeof values)[number]);
    for (let i = 0; i < values.length; i += 200) {
      const inserted = await t.db
        .insertInto('customers')
        .values(values.slice(i, i + 200))
        .returning('id')
        .execute();
      await indexNewCustomers(
        t.db,
        inserted.map((r) => r.id),
      );
    }
    if (isPostgres(t.db)) await sql`analyze customers`.execute(t.db);
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it('lists the customer with that id first, then the most recent holders, to an admin and to a rep', async () => {
    const admin = await searchCustomers(t.db, { q: '7777', limit: 5 });
    expect(admin[0]?.id).toBe(7777);
    expect(admin.slice(1).map((c) => c.name)).toEqual(['客户5199', '客户5198', '客户5197', '客户5196']);
    const asRep = await searchCustomers(t.db, {
      q: '7777',
      limit: 5,
      viewer: { staffId: rep, role: 'rep', teamId: null },
    });
    expect(asRep[0]?.id).toBe(7777);
    // The rep's own (i % 3 = 0) and the pool's (i % 3 = 2), newest first; none of the other rep's.
    expect(asRep.slice(1).map((c) => c.name)).toEqual(['客户5199', '客户5198', '客户5196', '客户5195']);
  }, 60_000);
});
