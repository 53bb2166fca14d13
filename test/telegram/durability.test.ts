import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/queue/outbox.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { failInserts } from '../helpers/faults.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const privateUpdate = telegramFixture('update-private-customer.json') as {
  update_id: number;
  message: object;
};
const helpFromStaff = (updateId: number) => {
  const u = telegramFixture('update-command-find-staff.json') as {
    update_id: number;
    message: { text: string };
  };
  u.update_id = updateId;
  u.message.text = '/help';
  return u;
};

describe.each(serverDialectsUnderTest())('durability on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const count = async (table: 'messages' | 'customers' | 'identities' | 'chats') =>
    (await h.db.selectFrom(table).selectAll().execute()).length;
  const inboxRow = () => h.db.selectFrom('inbox').selectAll().executeTakeFirstOrThrow();

  it('keeps everything across a restart on the same database', async () => {
    h = await startHarness(dialect);
    await h.postUpdate(privateUpdate);
    await waitFor(async () => (await count('messages')) === 1);
    await waitFor(async () => (await inboxRow()).status === 'done'); // the rules' stage suggestion has landed too
    const before = (await h.api<{ items: Array<{ id: number }> }>('/customers')).body.items;
    await h.restart();
    const after = (await h.api<{ items: Array<{ id: number }> }>('/customers')).body.items;
    expect(after).toEqual(before);
    const detail = await h.api<{ timeline: Array<{ type: string }> }>(`/customers/${after[0]?.id}`);
    expect(detail.body.timeline.filter((e) => e.type === 'message')).toHaveLength(1);
    expect((await h.postUpdate(privateUpdate)).status).toBe(200); // still recognised as a redelivery
    await new Promise((r) => setTimeout(r, 200));
    expect(await count('messages')).toBe(1);
    expect((await h.db.selectFrom('inbox').selectAll().execute()).length).toBe(1);
  });

  it('retries an event whose processing failed mid-way and leaves exactly one message', async () => {
    h = await startHarness(dialect);
    const heal = await failInserts(h.db, h.database.dialect, 'messages', 'injected: disk I/O error');
    await h.postUpdate(privateUpdate);
    const failed = await waitFor(async () => {
      const row = await inboxRow();
      return row.attempts >= 1 && row.last_error ? row : undefined;
    });
    expect(failed.last_error).toContain('injected');
    expect(await count('customers')).toBe(1); // the customer was written before the failure…
    await heal();
    await waitFor(async () => (await inboxRow()).status === 'done', 5_000);
    expect(await count('messages')).toBe(1);
    expect(await count('customers')).toBe(1); // …and the retry found it instead of making another
    expect(await count('identities')).toBe(1);
    expect(await count('chats')).toBe(1);
  });

  it('stops retrying after the last attempt and keeps the event visible with its error', async () => {
    h = await startHarness(dialect, { settings: { inboxMaxAttempts: 3 } });
    await failInserts(h.db, h.database.dialect, 'messages', 'injected: constraint');
    await h.postUpdate(privateUpdate);
    const row = await waitFor(async () => {
      const r = await inboxRow();
      return r.status === 'failed' ? r : undefined;
    }, 5_000);
    expect(row.attempts).toBe(3);
    const { body } = await h.api<{ items: Array<{ dedupKey: string; attempts: number; lastError: string }> }>(
      '/inbox?status=failed',
    );
    expect(body.items).toEqual([
      expect.objectContaining({
        dedupKey: String(privateUpdate.update_id),
        attempts: 3,
        lastError: 'injected: constraint',
      }),
    ]);
    // Other events still flow.
    await h.postUpdate(helpFromStaff(845299001));
    await waitFor(() => h.telegram.callsTo('sendMessage')[0]);
  });

  it('answers 503 when the inbox cannot take the write, so the platform delivers again', async () => {
    h = await startHarness(dialect);
    const heal = await failInserts(h.db, h.database.dialect, 'inbox', 'injected: database is locked');
    expect((await h.postUpdate(privateUpdate)).status).toBe(503);
    await heal();
    expect((await h.postUpdate(privateUpdate)).status).toBe(200);
    await waitFor(async () => (await count('messages')) === 1);
  });

  it('retries a send refused with 429 and 500 and delivers it once, honouring retry_after', async () => {
    h = await startHarness(dialect);
    h.telegram.script(
      'sendMessage',
      {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 1',
          parameters: { retry_after: 1 },
        },
      },
      { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } },
    );
    await h.postUpdate(helpFromStaff(845299002));
    const calls = await waitFor(() => {
      const c = h.telegram.callsTo('sendMessage');
      return c.length === 3 ? c : undefined;
    }, 5_000);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    const row = await waitFor(async () => {
      const r = await h.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
      return r.status === 'sent' ? r : undefined;
    });
    expect(row.platform_message_id).not.toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(3);
    expect(new Set(calls.map((c) => c.body.text)).size).toBe(1);
  });

  it("puts a send to a customer on the customer's timeline once Telegram confirms it", async () => {
    h = await startHarness(dialect);
    await h.postUpdate(privateUpdate);
    const chat = await waitFor(() =>
      h.db.selectFrom('chats').select(['id', 'customer_id', 'platform_chat_id']).executeTakeFirst(),
    );
    await enqueue(
      h.db,
      [
        {
          platform: 'telegram',
          workspace: '7012345678',
          target: { kind: 'chat', chatId: chat.platform_chat_id },
          content: { text: '您好！已收到您的咨询，销售顾问会尽快联系您。' },
          idempotencyKey: 'test:welcome',
          customerId: chat.customer_id as number,
          chatId: chat.id,
        },
      ],
      Date.now(),
    );
    h.server.liaison.outbox.kick();
    const timeline = await waitFor(async () => {
      const t = (
        await h.api<{
          timeline: Array<{ type: string; direction: string; author: { kind: string }; text: string }>;
        }>(`/customers/${chat.customer_id}`)
      ).body.timeline.filter((e) => e.type === 'message');
      return t.length === 2 ? t : undefined;
    });
    expect(timeline[1]).toMatchObject({
      direction: 'out',
      author: { kind: 'bot' },
      text: '您好！已收到您的咨询，销售顾问会尽快联系您。',
    });
    // Once to the customer (the admins get the customer's words relayed, which is not this send).
    const toCustomer = h.telegram
      .callsTo('sendMessage')
      .filter((c) => String(c.body.chat_id) === chat.platform_chat_id);
    expect(toCustomer).toHaveLength(1);
  });

  it('gives up at once on a send the platform will never accept', async () => {
    h = await startHarness(dialect);
    h.telegram.script('sendMessage', {
      status: 403,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    await h.postUpdate(helpFromStaff(845299003));
    const row = await waitFor(async () => {
      const r = await h.db.selectFrom('outbox').selectAll().executeTakeFirst();
      return r?.status === 'failed' ? r : undefined;
    });
    expect(row.last_error).toContain('403');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(1);
  });

  it('records a delivered reply once the database is free again, instead of sending it a second time', async (ctx) => {
    if (dialect.name !== 'sqlite') ctx.skip(); // SQLite's busy timeout (5 s) is what makes the write fail
    // A send timeout past the busy timeout: a write blocking the process (better-sqlite3 waits synchronously) must
    // not make Telegram's answer look late — that would be another way to send twice, not the one tested here.
    h = await startHarness(dialect, { settings: { sendTimeoutMs: 20_000 } });
    let lock: BetterSqlite3.Database | undefined;
    // The moment Telegram takes the reply, another connection holds the write lock past the busy timeout: the
    // write recording the send fails at least once.
    h.telegram.chaos = (call) => {
      if (call.method !== 'sendMessage' || lock) return undefined;
      lock = new BetterSqlite3(h.database.url as string);
      lock.exec('BEGIN IMMEDIATE');
      setTimeout(() => {
        lock?.exec('COMMIT');
        lock?.close();
      }, 6_000);
      return undefined;
    };
    await h.postUpdate(helpFromStaff(990_001));
    const row = await waitFor(async () => {
      const r = await h.db.selectFrom('outbox').select(['status', 'attempts']).executeTakeFirst();
      return r?.status === 'sent' ? r : undefined;
    }, 30_000);
    expect(row).toEqual({ status: 'sent', attempts: 1 });
    await new Promise((r) => setTimeout(r, 3_500)); // past the 3 s lease: a second send would show now
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(1);
  }, 40_000);

  it('reads an answer that arrived while the process was blocked past the send timeout, and sends once', async () => {
    h = await startHarness(dialect); // send timeout 3 s
    let blocked = false;
    // Telegram takes the reply, but this process is stuck for 4 s (a synchronous wait, like a SQLite busy timeout)
    // before its answer can be read: the deadline has passed by the time the answer is there.
    h.telegram.chaos = (call) => {
      if (call.method !== 'sendMessage' || blocked) return undefined;
      blocked = true;
      const until = Date.now() + 4_000;
      while (Date.now() < until) {
        /* blocked */
      }
      return undefined;
    };
    await h.postUpdate(helpFromStaff(990_002));
    const row = await waitFor(async () => {
      const r = await h.db.selectFrom('outbox').select(['status', 'attempts']).executeTakeFirst();
      return r?.status === 'sent' ? r : undefined;
    }, 15_000);
    expect(row).toEqual({ status: 'sent', attempts: 1 });
    expect(h.telegram.callsTo('sendMessage')).toHaveLength(1);
  }, 30_000);
});
