import { env } from 'cloudflare:test';
import { encrypt, getSignature } from '@wecom/crypto';
import { describe, expect, it } from 'vitest';
import memberText from '../fixtures/wecom/msg-text-member.xml?raw';
import { rows } from './d1-raw.ts';
import { API_TOKEN, api, call, cron, telegramUpdate, WECOM } from './helpers.ts';

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

  it('drains a backlog larger than one claim at the cron: 150 stored deliveries, each on its customer once', async () => {
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
    await cron();
    const left = await rows<{ status: string; n: number }>(
      env.DB,
      "select status, count(*) as n from inbox where dedup_key like 'backlog:%' group by status",
    );
    expect(left).toEqual([{ status: 'done', n: 150 }]);
    const customers = await rows(env.DB, "select id from customers where display_name like '积压%'");
    expect(customers).toHaveLength(150);
  });

  it('keeps the API closed without the token', async () => {
    expect((await call('/api/customers')).status).toBe(401);
    expect(API_TOKEN.length).toBeGreaterThan(16);
  });
});
