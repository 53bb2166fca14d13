import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgres } from '../../db/dialect.ts';
import { migrateToLatest, migratorFor } from '../../db/migrate.ts';
import type { Database } from '../../db/schema.ts';
import { refreshSearchText } from '../../src/core/records/customers/profile.ts';
import { recordSharedPhone, resolveCustomer } from '../../src/core/records/customers/resolve.ts';
import { type CustomerQuery, searchCustomers } from '../../src/core/records/customers/search.ts';
import {
  bringSearchIndexUpToDate,
  rebuildSearchIndex,
} from '../../src/core/records/customers/search-index.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { insertStaff } from '../helpers/staff-rows.ts';

const BEFORE_INDEX = '2026-11-22-0003-attachments-and-app-pacing';

/** A customer's search keys where the dialect keeps them: PostgreSQL's tsvector, else the gram table. */
async function keysOf(db: Kysely<Database>, customerId: number): Promise<string[]> {
  if (isPostgres(db)) {
    const { rows } = await sql<{ keys: string[] | null }>`
      select tsvector_to_array(search_keys) as keys from customers where id = ${customerId}`.execute(db);
    return [...(rows[0]?.keys ?? [])].sort();
  }
  const rows = await db
    .selectFrom('customer_search_grams')
    .select('gram')
    .where('customer_id', '=', customerId)
    .execute();
  return rows.map((r) => r.gram).sort();
}

/** Leaves a customer's keys as a crash between writes could: the given keys instead of theirs. */
async function setKeys(db: Kysely<Database>, customerId: number, keys: string[]): Promise<void> {
  if (isPostgres(db)) {
    await sql`update customers set search_keys = array_to_tsvector(cast(${`{${keys.join(',')}}`} as text[]))
      where id = ${customerId}`.execute(db);
    return;
  }
  await db.deleteFrom('customer_search_grams').where('customer_id', '=', customerId).execute();
  for (const gram of keys)
    await db.insertInto('customer_search_grams').values({ gram, customer_id: customerId }).execute();
}

describe.each(dialectsUnderTest())('/find through the search index on $name', (dialect) => {
  let t: TestDatabase;
  const ids: Record<string, number> = {};
  let repA: number;
  let repB: number;
  const staff = (name: string) => insertStaff(t.db, name);
  const customer = async (key: string, name: string, owner: number | null, at: number) => {
    const r = await resolveCustomer(
      t.db,
      'telegram',
      { externalId: key, workspace: '', displayName: name },
      at,
      {
        source: 'telegram',
        ownerStaffId: owner,
      },
    );
    await t.db.updateTable('customers').set({ last_contact_at: at }).where('id', '=', r.customerId).execute();
    return r;
  };
  /** Changes fields the way a writer does: the row, then what `/find` matches. */
  const edit = async (
    id: number,
    fields: Partial<Pick<Database['customers'], 'display_name' | 'company' | 'email'>>,
  ) => {
    await t.db.updateTable('customers').set(fields).where('id', '=', id).execute();
    await refreshSearchText(t.db, id);
  };
  const names = async (q: string, extra: Partial<CustomerQuery> = {}) =>
    (await searchCustomers(t.db, { q, limit: 20, ...extra })).map((c) => c.name);

  beforeAll(async () => {
    t = await dialect.open();
    repA = await staff('张三');
    repB = await staff('李四');
    ids.wangfang = (await customer('1', '王芳', repA, 5_000)).customerId;
    ids.wangfangfang = (await customer('2', '王芳芳', repB, 4_000)).customerId;
    ids.wangfang2 = (await customer('3', '汪芳', repA, 3_000)).customerId;
    ids.li = (await customer('4', '李建国', repA, 2_000)).customerId;
    const alice = await customer('5', 'Alice Chen', repA, 1_000);
    ids.alice = alice.customerId;
    await recordSharedPhone(t.db, alice, '13812345678', 1_000);
    await edit(ids.alice, { company: '深圳华信科技有限公司', email: 'alice.chen@example.com' });
    const bob = await customer('6', 'Bob', null, 500);
    ids.bob = bob.customerId;
    await recordSharedPhone(t.db, bob, '+86 139 8765 4321', 500);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('finds a two-character Chinese name among similar ones, most recent first', async () => {
    expect(await names('王芳')).toEqual(['王芳', '王芳芳']);
    expect(await names('汪芳')).toEqual(['汪芳']);
    expect(await names('芳芳')).toEqual(['王芳芳']);
    expect(await names('王芳芳')).toEqual(['王芳芳']);
    expect(await names('李建国')).toEqual(['李建国']);
    expect(await names('王芳英')).toEqual([]);
  });

  it('finds a company word, an English name in any case, and an email', async () => {
    expect(await names('华信')).toEqual(['Alice Chen']);
    expect(await names('华信科技')).toEqual(['Alice Chen']);
    expect(await names('ALICE')).toEqual(['Alice Chen']);
    expect(await names('alice chen')).toEqual(['Alice Chen']);
    expect(await names('alice.chen@example')).toEqual(['Alice Chen']);
  });

  it('finds a phone typed with +86, spaces or dashes, by its last digits, and #id', async () => {
    expect(await names('+86 138 1234 5678')).toEqual(['Alice Chen']);
    expect(await names('008613812345678')).toEqual(['Alice Chen']);
    expect(await names('138-1234-5678')).toEqual(['Alice Chen']);
    expect(await names('5678')).toEqual(['Alice Chen']);
    expect(await names('12345678')).toEqual(['Alice Chen']);
    expect(await names('1381234')).toEqual(['Alice Chen']);
    expect(await names('139 8765 4321')).toEqual(['Bob']);
    expect(await names('+8613987654321')).toEqual(['Bob']);
    expect(await names('4321')).toEqual(['Bob']);
    expect(await names('99999999')).toEqual([]);
    expect(await names(`#${ids.li}`)).toEqual(['李建国']);
  });

  it('answers one-character and short-digit queries by a scan', async () => {
    expect(await names('芳')).toEqual(['王芳', '王芳芳', '汪芳']);
    expect(await names('432')).toEqual(['Bob']);
  });

  it('follows a rename: the old name no longer matches', async () => {
    // The platform name is matched too (one person, many names): it changes along, as when they rename themselves.
    await t.db
      .updateTable('identities')
      .set({ display_name: '李建军' })
      .where('customer_id', '=', ids.li as number)
      .execute();
    await edit(ids.li as number, { display_name: '李建军' });
    expect(await names('建国')).toEqual([]);
    expect(await names('建军')).toEqual(['李建军']);
    expect(await keysOf(t.db, ids.li as number)).toEqual(['建军', '李建'].sort());
  });

  it('converges after a crash between the writes: missing keys come back, stray ones go', async () => {
    await setKeys(t.db, ids.wangfang2 as number, ['旧名']);
    expect(await names('汪芳')).toEqual([]);
    await refreshSearchText(t.db, ids.wangfang2 as number);
    await refreshSearchText(t.db, ids.wangfang2 as number);
    expect(await names('汪芳')).toEqual(['汪芳']);
    expect(await names('旧名')).toEqual([]);
  });

  it('keeps scopes: a rep does not find a colleague’s customer, but finds the pool', async () => {
    const viewer = { staffId: repA, role: 'rep' as const, teamId: null };
    expect(await names('王芳', { viewer })).toEqual(['王芳']);
    expect(await names('4321', { viewer })).toEqual(['Bob']);
    expect(await names('王芳芳', { viewer: { ...viewer, staffId: repB } })).toEqual(['王芳芳']);
    expect(await names('王芳', { owner: repB })).toEqual(['王芳芳']);
  });

  it('never finds a merged-away customer', async () => {
    const merged = (await customer('7', '王芳', repA, 9_000)).customerId;
    expect(await names('王芳')).toEqual(['王芳', '王芳', '王芳芳']);
    await t.db
      .updateTable('customers')
      .set({ merged_into_id: ids.wangfang as number })
      .where('id', '=', merged)
      .execute();
    expect(await names('王芳')).toEqual(['王芳', '王芳芳']);
    await refreshSearchText(t.db, merged);
    expect(await keysOf(t.db, merged)).toEqual([]);
  });
});

describe.each(dialectsUnderTest())('the search index backfill on $name', (dialect) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open({ migrate: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('indexes the customers that existed before the migration, and can run again', async () => {
    const migrated = await (await migratorFor(t.db)).migrateTo(BEFORE_INDEX);
    expect(migrated.error).toBeUndefined();
    await t.db
      .insertInto('customers')
      .values({
        display_name: '陈小雨',
        stage: 'lead',
        do_not_contact: 0,
        origin_key: 'import:1',
        search_text: '陈小雨\n广州星河贸易\n8613812345678',
        phone: '+8613812345678',
        first_contact_at: 1,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    await migrateToLatest(t.db);
    const find = async (q: string) => (await searchCustomers(t.db, { q, limit: 5 })).map((c) => c.name);
    // Migrations make no keys (they never run live code): the app's first start after them does.
    expect(await find('小雨')).toEqual([]);
    expect(await bringSearchIndexUpToDate(t.db, 1)).toBe(1);
    expect(await bringSearchIndexUpToDate(t.db, 2)).toBe(0);
    expect(await find('小雨')).toEqual(['陈小雨']);
    expect(await find('星河')).toEqual(['陈小雨']);
    expect(await find('138 1234 5678')).toEqual(['陈小雨']);
    const id = (await searchCustomers(t.db, { q: '小雨', limit: 1 }))[0]?.id as number;
    const before = await keysOf(t.db, id);
    expect(before).toContain('小雨');
    expect(await rebuildSearchIndex(t.db)).toBe(1);
    expect(await keysOf(t.db, id)).toEqual(before);
  });

  it('reindexes every customer once when the stored keys are of another version, dropping keys no longer made', async () => {
    const id = (await searchCustomers(t.db, { q: '小雨', limit: 1 }))[0]?.id as number;
    const before = await keysOf(t.db, id);
    const find = async (q: string) => (await searchCustomers(t.db, { q, limit: 5 })).map((c) => c.name);
    if (isPostgres(t.db))
      await sql`update customers set search_keys = search_keys || array_to_tsvector(array['旧键']) where id = ${id}`.execute(
        t.db,
      );
    else await t.db.insertInto('customer_search_grams').values({ gram: '旧键', customer_id: id }).execute();
    expect(await keysOf(t.db, id)).toContain('旧键');
    await t.db.updateTable('derived_data').set({ version: 0 }).where('name', '=', 'search_keys').execute();
    expect(await bringSearchIndexUpToDate(t.db, 3)).toBe(1);
    expect(await keysOf(t.db, id)).toEqual(before);
    expect(await find('小雨')).toEqual(['陈小雨']);
    expect(await bringSearchIndexUpToDate(t.db, 4)).toBe(0);
  });
});

describe.each(dialectsUnderTest())('search keys kept apart from foreign keys on $name', (dialect) => {
  const BEFORE = '2026-12-06-0036-partial-indexes';
  let t: TestDatabase;
  beforeAll(async () => {
    t = await dialect.open({ migrate: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('keeps the keys made before the upgrade, and a deleted customer leaves none', async () => {
    expect((await (await migratorFor(t.db)).migrateTo(BEFORE)).error).toBeUndefined();
    const made = async (key: string, name: string) =>
      (
        await resolveCustomer(t.db, 'telegram', { externalId: key, workspace: '', displayName: name }, 1, {
          source: 'telegram',
          ownerStaffId: null,
        })
      ).customerId;
    const kept = await made('1', '陈小雨');
    const gone = await made('2', '林小雨');
    await migrateToLatest(t.db);
    expect(await keysOf(t.db, kept)).toContain('小雨');
    expect(await keysOf(t.db, gone)).toContain('小雨');
    const find = async () => (await searchCustomers(t.db, { q: '小雨', limit: 5 })).map((c) => c.name);
    expect((await find()).sort()).toEqual(['林小雨', '陈小雨']);
    // As the demo reset deletes customers: no step of its own for their keys.
    await t.db.deleteFrom('customers').where('id', '=', gone).execute();
    expect(await keysOf(t.db, gone)).toEqual([]);
    expect(await keysOf(t.db, kept)).toContain('小雨');
    expect(await find()).toEqual(['陈小雨']);
  });
});
