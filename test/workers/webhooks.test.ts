import { env } from 'cloudflare:test';
import { encrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import memberText from '../fixtures/wecom/msg-text-member.xml?raw';
import { countingD1, rows } from './d1-raw.ts';
import { API_TOKEN, api, call, cron, telegramBody, telegramUpdate, WECOM } from './helpers.ts';

describe('the Worker on D1', () => {
  it('answers health checks after applying the migrations at the first request', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    const applied = await rows<{ name: string }>(env.DB, 'select name from kysely_migration order by name');
    expect(applied.map((r) => r.name)).toContain('2026-11-29-0008-digest-schedule');
  });

  it('stores a Telegram update, processes it after the answer, and shows the customer through the API', async () => {
    const res = await telegramUpdate(910001, 6200000001, '你好，想了解一下价格');
    expect(res.status).toBe(200);
    const inbox = await rows<{ status: string }>(
      env.DB,
      "select status from inbox where platform = 'telegram' and dedup_key like '%910001%'",
    );
    expect(inbox).toEqual([{ status: 'done' }]);
    const list = (await (await api('/customers?q=客户6200000001')).json()) as {
      items: Array<{ name: string }>;
    };
    expect(list.items.map((c) => c.name)).toContain('客户6200000001');
  });

  it('stores a redelivered update once', async () => {
    for (let i = 0; i < 2; i++) expect((await telegramUpdate(910002, 6200000002, 'again')).status).toBe(200);
    const inbox = await rows(env.DB, "select id from inbox where dedup_key like '%910002%'");
    expect(inbox).toHaveLength(1);
    const messages = await rows(
      env.DB,
      "select m.id from messages m join chats c on c.id = m.chat_id where c.platform_chat_id = '6200000002'",
    );
    expect(messages).toHaveLength(1);
  });

  it('refuses a Telegram update without the webhook secret, storing nothing', async () => {
    const before = await rows(env.DB, 'select id from inbox');
    const res = await call('/webhooks/telegram', { method: 'POST', body: '{"update_id":1}' });
    expect(res.status).toBe(401);
    expect(await rows(env.DB, 'select id from inbox')).toHaveLength(before.length);
  });

  it('verifies, decrypts and stores a WeCom callback', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = '1320562132';
    const plaintext = memberText.replace(/\n$/, '').replace('7477281932010385410', '7477281932010999001');
    const ciphertext = encrypt(WECOM.aesKey, plaintext, WECOM.corpId);
    const signature = getSignature(WECOM.token, timestamp, nonce, ciphertext);
    const body = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${ciphertext}]]></Encrypt></xml>`;
    const path = `/webhooks/wecom?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`;
    expect((await call(path, { method: 'POST', body })).status).toBe(200);
    expect((await call(path, { method: 'POST', body })).status).toBe(200); // WeCom retries: still one row
    const inbox = await rows<{ status: string }>(env.DB, "select status from inbox where platform = 'wecom'");
    expect(inbox).toHaveLength(1);
    expect(inbox[0]?.status).not.toBe('pending');
    const tampered = path.replace(/msg_signature=./, (m) =>
      m.endsWith('a') ? `${m.slice(0, -1)}b` : `${m.slice(0, -1)}a`,
    );
    expect((await call(tampered, { method: 'POST', body })).status).toBe(401);
  });

  it('drains a backlog at the cron within D1 queries per invocation, lanes sharing round trips: 150 deliveries, each on its customer once', async () => {
    expect((await telegramUpdate(910100, 6200000100, 'first')).status).toBe(200);
    const [stored] = await rows<{ workspace: string }>(
      env.DB,
      "select workspace from inbox where dedup_key like '%910100%'",
    );
    const now = Date.now();
    // Arrived while no Worker ran (no waitUntil after them): only the cron's drain takes them.
    await env.DB.batch(
      Array.from({ length: 150 }, (_, n) => {
        const chat = 6_200_001_000 + n;
        const from = { id: chat, is_bot: false, first_name: `积压${n}` };
        const payload = JSON.stringify({
          update_id: 920_000 + n,
          message: {
            message_id: n + 1,
            from,
            chat: { id: chat, type: 'private' },
            date: 1772417880,
            text: `积压 ${n}`,
          },
        });
        return env.DB.prepare(
          "insert into inbox (platform, workspace, dedup_key, payload, status, attempts, available_at, received_at) values ('telegram', ?, ?, ?, 'pending', 0, ?, ?)",
        ).bind(stored?.workspace, `backlog:${n}`, payload, now, now);
      }),
    );
    // A Worker whose D1 calls are counted: D1 allows an invocation 1,000 queries (the default D1_QUERY_LIMIT).
    const d1 = countingD1(env.DB);
    const counted = { ...env, DB: d1.binding };
    expect((await call('/healthz', {}, counted)).status).toBe(200);
    const perRun: number[] = [];
    const roundTrips = d1.counts.roundTrips;
    const statements = d1.counts.statements;
    for (let run = 0; run < 10; run++) {
      const before = d1.counts.statements;
      await cron(counted);
      perRun.push(d1.counts.statements - before);
      const [open] = await rows<{ n: number }>(
        env.DB,
        "select count(*) as n from inbox where dedup_key like 'backlog:%' and status != 'done'",
      );
      if (open?.n === 0) break;
    }
    expect(Math.max(...perRun)).toBeLessThanOrEqual(1_000);
    expect(perRun.length).toBeGreaterThan(1); // 150 new customers take more than one invocation's queries
    const left = await rows<{ status: string; attempts: number; n: number }>(
      env.DB,
      "select status, attempts, count(*) as n from inbox where dedup_key like 'backlog:%' group by status, attempts",
    );
    // Deliveries an invocation claimed but did not begin went back without an attempt counted.
    expect(left).toEqual([{ status: 'done', attempts: 1, n: 150 }]);
    const customers = await rows(env.DB, "select id from customers where display_name like '积压%'");
    expect(customers).toHaveLength(150);
    const sent = d1.counts.statements - statements;
    const trips = d1.counts.roundTrips - roundTrips;
    expect(trips).toBeLessThan(sent * 0.6);
  });

  it('keeps every invocation within a lower D1_QUERY_LIMIT, webhooks and crons alike, and every delivery lands once', async () => {
    const d1 = countingD1(env.DB);
    const low = { ...env, DB: d1.binding, D1_QUERY_LIMIT: '500' };
    expect((await call('/healthz', {}, low)).status).toBe(200);
    const [stored] = await rows<{ workspace: string }>(
      env.DB,
      "select workspace from inbox where platform = 'telegram' limit 1",
    );
    const now = Date.now();
    // 60 customers' messages from long ago: behind the cron's timed work, which finds their replies overdue.
    await env.DB.batch(
      Array.from({ length: 60 }, (_, n) =>
        env.DB.prepare(
          "insert into inbox (platform, workspace, dedup_key, payload, status, attempts, available_at, received_at) values ('telegram', ?, ?, ?, 'pending', 0, ?, ?)",
        ).bind(
          stored?.workspace,
          `low:${n}`,
          JSON.stringify({
            update_id: 940_000 + n,
            message: {
              message_id: n + 1,
              from: { id: 6_200_003_000 + n, is_bot: false, first_name: `限额${n}` },
              chat: { id: 6_200_003_000 + n, type: 'private' },
              date: 1772417880,
              text: `限额 ${n}`,
            },
          }),
          now,
          now,
        ),
      ),
    );
    const perInvocation: number[] = [];
    const counted = async (invocation: () => Promise<unknown>) => {
      const before = d1.counts.statements;
      await invocation();
      perInvocation.push(d1.counts.statements - before);
    };
    for (let n = 0; n < 4; n++)
      await counted(async () =>
        expect(
          (await call('/webhooks/telegram', telegramBody(950_000 + n, 6_200_004_000 + n, `限额新 ${n}`), low))
            .status,
        ).toBe(200),
      );
    for (let run = 0; run < 12; run++) await counted(() => cron(low));
    expect(Math.max(...perInvocation)).toBeLessThanOrEqual(500);
    const open = await rows(
      env.DB,
      "select id from inbox where dedup_key like 'low:%' and (status != 'done' or attempts != 1)",
    );
    expect(open).toEqual([]);
    const messages = await rows(env.DB, "select id from messages where text like '限额%'");
    expect(messages).toHaveLength(64);
  });

  it('keeps the API closed without the token', async () => {
    expect((await call('/api/customers')).status).toBe(401);
    expect(API_TOKEN.length).toBeGreaterThan(16);
  });
});
