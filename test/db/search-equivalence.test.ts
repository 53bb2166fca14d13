import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../db/dialect.ts';
import { resolveCustomer } from '../../src/core/records/customers/resolve.ts';
import { searchCustomers } from '../../src/core/records/customers/search.ts';
import { indexCustomerSearch } from '../../src/core/records/customers/search-index.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { insertStaff } from '../helpers/staff-rows.ts';

// `/find` must answer the same on every dialect: here each one is checked against a brute-force reading of the same
// customers (substring of the search text, most recent contact first), so SQLite's gram table and PostgreSQL's
// full-text index agree with each other for Chinese names, companies and phone digits.

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗');
const GIVEN = Array.from('芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国');
const COMPANIES = ['华信科技', '星河贸易', '南方电器', '广州美妆', '深圳物流', '东莞五金'];
const CUSTOMERS = 1500;

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe.each(dialectsUnderTest())('/find equals a brute-force substring search on $name', (dialect) => {
  let t: TestDatabase;
  const rows: Array<{ id: number; text: string; at: number; name: string; owner: number | null }> = [];
  const rand = random(20261130);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)] as T;
  const reps: number[] = [];

  beforeAll(async () => {
    t = await dialect.open();
    for (const name of ['张三', '李四']) reps.push(await insertStaff(t.db, name));
    for (let i = 0; i < CUSTOMERS; i++) {
      const name = pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');
      const at = 1_000_000 + Math.floor(rand() * 1_000_000);
      const r = await resolveCustomer(
        t.db,
        'telegram',
        { externalId: `e${i}`, workspace: '', displayName: name },
        at,
        {
          source: 'telegram',
          ownerStaffId: null,
        },
      );
      const company = rand() < 0.5 ? pick(COMPANIES) : null;
      // A third of the numbers stored with +86 and 138: "8613" and "1381" are in hundreds of them.
      const phone =
        rand() < 0.5
          ? `${rand() < 0.33 ? '86138' : '13'}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`
          : null;
      const owner = i % 3 === 2 ? null : (reps[i % 3] as number);
      const text = [name, company, phone].filter(Boolean).join('\n');
      // The stored search text as the writers build it; the index follows through indexCustomerSearch.
      await t.db
        .updateTable('customers')
        .set({ last_contact_at: at, company, phone, search_text: text, owner_staff_id: owner })
        .where('id', '=', r.customerId)
        .execute();
      await indexCustomerSearch(t.db, r.customerId);
      rows.push({ id: r.customerId, text, at, name, owner });
    }
    if (isPostgres(t.db)) await sql`analyze customers`.execute(t.db);
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  const expected = (needle: string, limit: number) =>
    rows
      // A number is also read as a customer id (`/find 1024`), as the search documents.
      .filter((r) => r.text.includes(needle) || (/^\d{1,12}$/.test(needle) && r.id === Number(needle)))
      .sort((a, b) => b.at - a.at || b.id - a.id)
      .slice(0, limit)
      .map((r) => r.id);

  it('returns exactly the brute-force matches for names, given names, companies and digits', async () => {
    const queries = new Set<string>();
    for (const r of rows.slice(0, 120)) {
      const chars = Array.from(r.name);
      queries.add(chars.slice(0, 2).join(''));
      queries.add(chars.slice(1).join(''));
      queries.add(r.name);
    }
    for (const c of COMPANIES) queries.add(c.slice(0, 2));
    for (const r of rows.filter((x) => /\d{11}/.test(x.text)).slice(0, 40)) {
      const phone = /\d{11}/.exec(r.text)?.[0] ?? '';
      queries.add(phone.slice(-4));
      queries.add(phone);
    }
    queries.add('王芳英');
    queries.add('不存在');
    let compared = 0;
    for (const q of queries) {
      const found = (await searchCustomers(t.db, { q, limit: 50 })).map((c) => c.id);
      expect(found, `query ${q}`).toEqual(expected(q, 50));
      compared++;
    }
    expect(compared).toBeGreaterThan(250);
  }, 120_000);

  it('applies stage and pool filters and leaves merged-away customers out of digit searches too', async () => {
    // Digit queries take their matches first and filter them after: the filters must still all apply.
    const phoned = rows.filter((r) => /\d{11}/.test(r.text)).slice(40, 120);
    const staged = new Set(phoned.filter((_, i) => i % 3 === 0).map((r) => r.id));
    const merged = new Set(phoned.filter((_, i) => i % 7 === 1).map((r) => r.id));
    const into = rows.find((r) => !merged.has(r.id))?.id as number;
    await t.db
      .updateTable('customers')
      .set({ stage: 'won' })
      .where('id', 'in', [...staged])
      .execute();
    await t.db
      .updateTable('customers')
      .set({ merged_into_id: into })
      .where('id', 'in', [...merged])
      .execute();
    const visible = (r: (typeof rows)[number]) => !merged.has(r.id);
    let compared = 0;
    for (const r of phoned) {
      const digits = /\d{11}/.exec(r.text)?.[0].slice(-4) ?? '';
      const hits = rows
        .filter((x) => (x.text.includes(digits) || x.id === Number(digits)) && visible(x))
        .sort((a, b) => b.at - a.at || b.id - a.id);
      const ids = async (extra: { stage?: string; owner?: 'none' }) =>
        (await searchCustomers(t.db, { q: digits, limit: 50, ...extra })).map((c) => c.id);
      expect(await ids({}), `digits ${digits}`).toEqual(hits.slice(0, 50).map((x) => x.id));
      expect(await ids({ stage: 'won' }), `digits ${digits} won`).toEqual(
        hits.filter((x) => staged.has(x.id)).map((x) => x.id),
      );
      expect(await ids({ owner: 'none' }), `digits ${digits} pool`).toEqual(
        hits
          .filter((x) => x.owner === null)
          .slice(0, 50)
          .map((x) => x.id),
      );
      compared++;
    }
    expect(compared).toBe(80);
    expect(merged.size).toBeGreaterThan(5);
  }, 120_000);

  it('gives a rep the brute-force matches in their scope, common number prefixes and last digits alike', async () => {
    // Runs after the merges above: merged-away customers are left out of the expected answer too.
    const live = new Set(
      (await t.db.selectFrom('customers').select('id').where('merged_into_id', 'is', null).execute()).map(
        (r) => r.id,
      ),
    );
    const rep = { staffId: reps[0] as number, role: 'rep' as const, teamId: null };
    const inScope = (r: (typeof rows)[number]) => r.owner === null || r.owner === rep.staffId;
    const phones = rows.flatMap((r) => /\d{11,}/.exec(r.text)?.[0] ?? []).slice(0, 30);
    const queries = new Set(['8613', '1381', '86138', '+86 138', '3813', '王']);
    for (const p of phones) {
      queries.add(p.slice(-4));
      queries.add(p.slice(-8));
      queries.add(p.slice(0, 5));
    }
    expect(rows.filter((r) => r.text.includes('8613')).length).toBeGreaterThan(100);
    let compared = 0;
    for (const q of queries) {
      const needle = /^[\d +]+$/.test(q) ? q.replace(/\D/g, '') : q;
      for (const limit of [11, 50]) {
        const hits = rows
          .filter(
            (r) =>
              live.has(r.id) && (r.text.includes(needle) || (/^\d{1,12}$/.test(q) && r.id === Number(q))),
          )
          .sort((a, b) => b.at - a.at || b.id - a.id);
        const asRep = await searchCustomers(t.db, { q, limit, viewer: rep });
        expect(
          asRep.map((c) => c.id),
          `rep ${q}`,
        ).toEqual(
          hits
            .filter(inScope)
            .slice(0, limit)
            .map((r) => r.id),
        );
        const asAdmin = await searchCustomers(t.db, { q, limit });
        expect(
          asAdmin.map((c) => c.id),
          `admin ${q}`,
        ).toEqual(hits.slice(0, limit).map((r) => r.id));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(150);
  }, 120_000);
});

describe.each(dialectsUnderTest().filter((d) => d.name !== 'sqlite'))('/find on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open();
    const r = await resolveCustomer(
      t.db,
      'telegram',
      { externalId: '1', workspace: '', displayName: '王芳' },
      1,
      {
        source: 'telegram',
        ownerStaffId: null,
      },
    );
    await indexCustomerSearch(t.db, r.customerId);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('reads PostgreSQL’s GIN index for a two-character name', async () => {
    const plan = await t.db.connection().execute(async (conn) => {
      // Small test tables favour a sequential scan; forbidding it shows the index serves the query's shape.
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const { rows: lines } = await sql<{ 'QUERY PLAN': string }>`explain
          select id from customers
          where search_keys @@ cast(${"'王芳'"} as tsquery) and search_text like ${'%王芳%'}`.execute(conn);
        return lines.map((l) => l['QUERY PLAN']).join('\n');
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
    expect(plan).toContain('customers_search_keys');
    expect((await searchCustomers(t.db, { q: '王芳', limit: 5 })).map((c) => c.name)).toEqual(['王芳']);
  });
});
