import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { type ChatDriver, postTelegramPrivate, telegramCustomer } from '../helpers/chat-driver.ts';
import { type Harness, waitFor } from '../helpers/harness.ts';

export const ADMIN = '5123456789';
export const REP = '5400000021';
export const OTHER_REP = '5400000022';
export const USER_A = '7300000001';
export const USER_B = '7300000002';

/** Tables holding a customer's rows by `customer_id` (what a merge moves and an undo brings back). */
export const CUSTOMER_TABLES = [
  'identities',
  'chats',
  'messages',
  'chat_members',
  'customer_events',
  'notes',
  'deals',
  'reminders',
  'transfers',
  'contact_relations',
  'conversation_bursts',
  'alerts',
  'customer_sources',
  'customer_outreach',
  'outbox',
  'campaign_recipients',
  'sop_enrollments',
  'customer_tags',
] as const;

/**
 * Two Telegram customers with history through the real chat and API: messages, notes, tags (VIP on both), a deal, a
 * reminder, stages, an owner on one side and a company only on the other.
 */
export async function twoCustomers(h: Harness, chat: ChatDriver): Promise<{ a: number; b: number }> {
  await chat.ask(ADMIN, `/staff add telegram:${REP} rep`);
  await chat.ask(ADMIN, `/staff add telegram:${OTHER_REP} rep`);
  const a = await telegramCustomer(h, USER_A, '王芳', '你好，想了解年度套餐');
  h.clock.advance(60_000);
  const b = await telegramCustomer(h, USER_B, 'Fang Wang', 'hello, price list please');
  await postTelegramPrivate(h, USER_B, 'Fang Wang', '还有发票怎么开？');
  await waitFor(async () => (await count(h.db, 'messages', b)) === 2);
  expect(await chat.ask(ADMIN, `/assign #${a} telegram:${REP}`)).toContain('分配给');
  expect(await chat.ask(ADMIN, `/assign #${b} telegram:${OTHER_REP}`)).toContain('分配给');
  expect(await chat.ask(ADMIN, `/note #${a} 电话沟通，下周报价`)).toContain('#');
  expect(await chat.ask(ADMIN, `/note #${b} 要发票`)).toContain('#');
  expect(await chat.ask(ADMIN, `/note #${b} 第二次跟进`)).toContain('#');
  await chat.ask(ADMIN, `/tag #${a} 高意向 VIP`);
  await chat.ask(ADMIN, `/tag #${b} VIP 复购`);
  expect(await chat.ask(ADMIN, `/deal #${b} 5万 proposal 年度套餐`)).toContain('50,000');
  expect(await chat.ask(ADMIN, `/remind #${b} 明天上午10点 回电话`)).toContain('10:00');
  await chat.ask(ADMIN, `/stage #${a} interested`);
  await chat.ask(ADMIN, `/stage #${b} won`);
  const patched = await h.api(`/customers/${b}`, undefined, {
    method: 'PATCH',
    body: JSON.stringify({ company: '华南贸易', email: 'fang@example.com' }),
  });
  expect(patched.status).toBe(200);
  return { a, b };
}

export async function count(
  db: Kysely<Database>,
  table: (typeof CUSTOMER_TABLES)[number],
  customerId: number,
) {
  const row = await db
    .selectFrom(table as 'notes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** How many rows each table holds for these customers. */
export async function counts(db: Kysely<Database>, ids: number[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of CUSTOMER_TABLES) {
    let n = 0;
    for (const id of ids) n += await count(db, t, id);
    out[t] = n;
  }
  return out;
}

/**
 * Every row of the two customers in every table, and the customers themselves (search keys included), in a stable
 * order. Timeline entries of the merge and undo themselves (`merge:` keys) are left out: they stay, by design.
 */
export async function dump(h: Harness, ids: number[]): Promise<Record<string, unknown[]>> {
  const { db } = h;
  const out: Record<string, unknown[]> = {};
  out.customers = await db.selectFrom('customers').selectAll().where('id', 'in', ids).orderBy('id').execute();
  for (const t of CUSTOMER_TABLES) {
    const rows = await db
      .selectFrom(t as 'notes')
      .selectAll()
      .where('customer_id', 'in', ids)
      .execute();
    out[t] = rows
      .filter((r) => !String((r as { event_key?: string }).event_key ?? '').startsWith('merge:'))
      .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
  }
  if (h.database.dialect === 'sqlite') {
    out.customer_search_grams = await db
      .selectFrom('customer_search_grams')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('customer_id')
      .orderBy('gram')
      .execute();
  }
  return out;
}
