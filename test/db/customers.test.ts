import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureChat } from '../../src/core/conversations/chats.ts';
import { recordMessage } from '../../src/core/conversations/messages.ts';
import type { PersonRef } from '../../src/core/ports/events.ts';
import { recordSharedPhone, resolveCustomer } from '../../src/core/records/customers/resolve.ts';
import { searchCustomers } from '../../src/core/records/customers/search.ts';
import { ensureAdmins, findStaff } from '../../src/core/records/staff/registry.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { insertStaff } from '../helpers/staff-rows.ts';

const person = (id: string, name: string, username?: string): PersonRef => ({
  externalId: id,
  workspace: '',
  displayName: name,
  ...(username ? { username } : {}),
});

describe.each(dialectsUnderTest())('customers, staff and messages on $name', (dialect) => {
  let t: TestDatabase;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await dialect.open();
    const { db } = t;
    const now = 1_000;
    const dept = await db
      .insertInto('teams')
      .values({ name: '销售一部', parent_id: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const gz = await db
      .insertInto('teams')
      .values({ name: '广州组', parent_id: dept.id, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const sz = await db
      .insertInto('teams')
      .values({ name: '深圳组', parent_id: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const staff = (name: string, role: 'rep' | 'manager', team: number) =>
      insertStaff(db, name, { role, teamId: team, at: now });
    ids.manager = await staff('李四', 'manager', dept.id);
    ids.gzRep = await staff('张三', 'rep', gz.id);
    ids.szRep = await staff('王五', 'rep', sz.id);
    const customer = async (
      id: string,
      name: string,
      owner: number | null,
      extra: { stage?: string } = {},
    ) => {
      const r = await resolveCustomer(db, 'telegram', person(id, name), now, {
        source: 'telegram',
        ownerStaffId: owner,
      });
      if (extra.stage)
        await db
          .updateTable('customers')
          .set({ stage: extra.stage })
          .where('id', '=', r.customerId)
          .execute();
      return r;
    };
    ids.wangfang = (await customer('1', '王芳', ids.gzRep, { stage: 'interested' })).customerId;
    ids.wangfangfang = (await customer('2', '王芳芳', ids.szRep)).customerId;
    ids.pool = (await customer('3', '100%_纯棉', null)).customerId;
    const phone = await customer('4', 'Alice Chen', ids.gzRep);
    await recordSharedPhone(db, phone, '+86 138-1234-5678', now);
    ids.alice = phone.customerId;
    const tag = await db
      .insertInto('tags')
      .values({ name: '报价', group_name: null, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('customer_tags')
      .values({
        customer_id: ids.wangfangfang,
        tag_id: tag.id,
        source: 'rule',
        source_ref: 'pricing',
        confidence: 0.9,
        message_id: null,
        actor_staff_id: null,
        created_at: now,
      })
      .execute();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const names = async (q: Parameters<typeof searchCustomers>[1]) =>
    (await searchCustomers(t.db, q)).map((c) => c.name).sort();

  it('creates one customer for one identity, however many resolve it at once', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        resolveCustomer(t.db, 'telegram', person('99', '赵六'), 2_000, { source: 'telegram' }),
      ),
    );
    expect(new Set(results.map((r) => r.customerId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await t.db.selectFrom('customers').select('id').where('display_name', '=', '赵六').execute();
    expect(rows).toHaveLength(1);
  });

  it('finds customers by a two-character Chinese name, phone digits, #id, company-style text and username', async () => {
    expect(await names({ q: '王芳', limit: 10 })).toEqual(['王芳', '王芳芳']);
    expect(await names({ q: '1381234', limit: 10 })).toEqual(['Alice Chen']);
    expect(await names({ q: '138-1234-5678', limit: 10 })).toEqual(['Alice Chen']);
    expect(await names({ q: `#${ids.wangfang}`, limit: 10 })).toEqual(['王芳']);
    expect(await names({ q: 'alice', limit: 10 })).toEqual(['Alice Chen']);
  });

  it('matches LIKE wildcards literally', async () => {
    expect(await names({ q: '100%', limit: 10 })).toEqual(['100%_纯棉']);
    expect(await names({ q: '%', limit: 10 })).toEqual(['100%_纯棉']);
    expect(await names({ q: '_', limit: 10 })).toEqual(['100%_纯棉']);
  });

  it('filters by tag, stage and owner (or the unowned pool)', async () => {
    expect(await names({ tag: '报价', limit: 10 })).toEqual(['王芳芳']);
    expect(await names({ stage: 'interested', limit: 10 })).toEqual(['王芳']);
    expect(await names({ owner: ids.gzRep as number, limit: 10 })).toEqual(['Alice Chen', '王芳']);
    expect(await names({ owner: 'none', limit: 10 })).toEqual(['100%_纯棉', '赵六']);
  });

  it('shows a rep their own customers and the pool, and a manager their whole subtree', async () => {
    const gzRep = { staffId: ids.gzRep as number, role: 'rep' as const, teamId: null };
    expect(await names({ q: '王芳', limit: 10, viewer: gzRep })).toEqual(['王芳']);
    const manager = { staffId: ids.manager as number, role: 'manager' as const, teamId: 1 };
    manager.teamId = (
      await t.db
        .selectFrom('staff')
        .select('team_id')
        .where('id', '=', manager.staffId)
        .executeTakeFirstOrThrow()
    ).team_id as number;
    // 广州组 is under 销售一部; 深圳组 is not.
    expect(await names({ q: '王芳', limit: 10, viewer: manager })).toEqual(['王芳']);
    const admin = { staffId: 0, role: 'admin' as const, teamId: null };
    expect(await names({ q: '王芳', limit: 10, viewer: admin })).toEqual(['王芳', '王芳芳']);
  });

  it('keeps every version of an edited message, whatever order the versions arrive in', async () => {
    const chat = await ensureChat(
      t.db,
      'telegram',
      'bot',
      { key: 'c1', kind: 'private', platformChatId: 'c1' },
      ids.alice as number,
      3_000,
    );
    const base = {
      chatId: chat,
      customerId: ids.alice as number,
      platform: 'telegram' as const,
      platformMessageId: '7',
      direction: 'in' as const,
      authorKind: 'customer' as const,
      authorStaffId: null,
      contentType: 'text',
      sentAt: 3_000,
      receivedAt: 3_000,
    };
    await recordMessage(t.db, { ...base, text: 'v1' });
    await recordMessage(t.db, { ...base, text: 'v3', editedAt: 5_000 });
    await recordMessage(t.db, { ...base, text: 'v2', editedAt: 4_000 });
    await recordMessage(t.db, { ...base, text: 'v3', editedAt: 5_000 });
    const message = await t.db
      .selectFrom('messages')
      .selectAll()
      .where('chat_id', '=', chat)
      .executeTakeFirstOrThrow();
    expect(message.text).toBe('v3');
    const versions = await t.db
      .selectFrom('message_revisions')
      .select('text')
      .where('message_id', '=', message.id)
      .orderBy('revised_at')
      .execute();
    expect(versions.map((v) => v.text)).toEqual(['v1', 'v2', 'v3']);
  });

  it('seeds configured admins once, however often and concurrently it runs', async () => {
    const key = { platform: 'telegram' as const, workspace: '', externalId: '5123456789' };
    await Promise.all([1, 2, 3].map(() => ensureAdmins(t.db, [key], 6_000)));
    await ensureAdmins(t.db, [key], 6_001);
    const staff = await findStaff(t.db, key);
    expect(staff?.role).toBe('admin');
    const identities = await t.db
      .selectFrom('staff_identities')
      .selectAll()
      .where('external_id', '=', '5123456789')
      .execute();
    expect(identities).toHaveLength(1);
    const orphans = await t.db
      .selectFrom('staff')
      .leftJoin('staff_identities', 'staff_identities.staff_id', 'staff.id')
      .select('staff.id')
      .where('staff_identities.id', 'is', null)
      .where('staff.role', '=', 'admin')
      .execute();
    expect(orphans).toEqual([]);
  });
});
