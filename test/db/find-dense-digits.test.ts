import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../db/dialect.ts';
import { seededRandom } from '../../src/cli/demo-data/random.ts';
import { searchCustomers } from '../../src/core/records/customers/search.ts';
import { indexNewCustomers } from '../../src/core/records/customers/search-index.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { insertStaff } from '../helpers/staff-rows.ts';

// Digits that many customers hold ("8613" of every +86 13… number) are found by walking customers in recency order,
// digits few hold by their index keys first: both must give what a brute-force reading gives, to an admin and a rep.
// Enough customers hold "8613" here for the walk (over 5,000 on SQLite; on PostgreSQL, by its planner's estimate).

const CUSTOMERS = 6000;

describe.each(dialectsUnderTest())('/find of common and rare digits on $name', (dialect) => {
  let t: TestDatabase;
  const rows: Array<{ id: number; text: string; at: number | null; owner: number | null }> = [];
  const reps: number[] = [];

  beforeAll(async () => {
    t = await dialect.open();
    for (const name of ['张三', '李四']) reps.push(await insertStaff(t.db, name));
    const rand = seededRandom(20261206).next;
    const values = Array.from({ length: CUSTOMERS }, (_, i) => {
      // 95% are +86 13… numbers ("8613" common); the rest plain 11-digit mobiles; some share a contact time.
      const phone = `${rand() < 0.95 ? '86138' : '1390'}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
      const at = rand() < 0.05 ? null : 1_000_000 + Math.floor(rand() * 5000);
      const owner = rand() < 0.9 ? (reps[1] as number) : rand() < 0.5 ? (reps[0] as number) : null;
      return {
        display_name: `客户${i}`,
        company: null,
        phone,
        email: null,
        owner_staff_id: owner,
        stage: 'lead',
        language: 'zh',
        source: 'test',
        do_not_contact: 0,
        merged_into_id: null,
        origin_key: `dense:${i}`,
        search_text: `客户${i}\n${phone}`,
        first_contact_at: 1,
        last_contact_at: at,
        last_inbound_at: at,
        last_outbound_at: at,
        created_at: 1,
        updated_at: 1,
      };
    });
    for (let i = 0; i < values.length; i += 200) {
      const inserted = await t.db
        .insertInto('customers')
        .values(values.slice(i, i + 200))
        .returning(['id', 'search_text', 'last_contact_at', 'owner_staff_id'])
        .execute();
      await indexNewCustomers(
        t.db,
        inserted.map((r) => r.id),
      );
      for (const r of inserted)
        rows.push({ id: r.id, text: r.search_text, at: r.last_contact_at, owner: r.owner_staff_id });
    }
    if (isPostgres(t.db)) await sql`analyze customers`.execute(t.db);
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it('returns the brute-force page for common and rare digits, to an admin and to a rep', async () => {
    const rep = { staffId: reps[0] as number, role: 'rep' as const, teamId: null };
    const phones = rows.map((r) => r.text.split('\n')[1] as string);
    const queries = new Set(['8613', '86138', '+86 138', '6138', '1390', '13900']);
    for (const p of phones.slice(0, 25)) {
      queries.add(p.slice(-4));
      queries.add(p.slice(-7));
    }
    expect(rows.filter((r) => r.text.includes('8613')).length).toBeGreaterThan(5000);
    // Most recent first, no contact time last, then the higher id.
    const order = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      (b.at ?? Number.NEGATIVE_INFINITY) - (a.at ?? Number.NEGATIVE_INFINITY) || b.id - a.id;
    let compared = 0;
    for (const q of queries) {
      const digits = q.replace(/\D/g, '');
      const hits = rows
        .filter((r) => r.text.includes(digits) || (/^\d+$/.test(q) && r.id === Number(q)))
        .sort(order);
      for (const limit of [11, 40]) {
        const asAdmin = await searchCustomers(t.db, { q, limit });
        expect(
          asAdmin.map((c) => c.id),
          `admin ${q}`,
        ).toEqual(hits.slice(0, limit).map((r) => r.id));
        const asRep = await searchCustomers(t.db, { q, limit, viewer: rep });
        expect(
          asRep.map((c) => c.id),
          `rep ${q}`,
        ).toEqual(
          hits
            .filter((r) => r.owner === null || r.owner === rep.staffId)
            .slice(0, limit)
            .map((r) => r.id),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(90);
  }, 120_000);

  it("keeps a rep's owner filter on common digits and names, their own customers and the pool alike", async () => {
    const rep = { staffId: reps[0] as number, role: 'rep' as const, teamId: null };
    const order = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      (b.at ?? Number.NEGATIVE_INFINITY) - (a.at ?? Number.NEGATIVE_INFINITY) || b.id - a.id;
    // "客" is in every name and "8613" in most numbers: both are read in recency order, a rep's own and the pool apart.
    for (const q of ['8613', '客', '客户1']) {
      for (const owner of [undefined, 'none' as const, rep.staffId]) {
        const found = await searchCustomers(t.db, { q, limit: 30, viewer: rep, owner });
        const expected = rows
          .filter((r) => r.text.includes(q) && (r.owner === null || r.owner === rep.staffId))
          .filter((r) => owner === undefined || r.owner === (owner === 'none' ? null : owner))
          .sort(order)
          .slice(0, 30)
          .map((r) => r.id);
        expect(
          found.map((c) => c.id),
          `${q} ${owner}`,
        ).toEqual(expected);
        expect(expected.length).toBeGreaterThan(10);
      }
    }
  }, 60_000);
});
