import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { rows } from './d1-raw.ts';
import { API_TOKEN, call, cron } from './helpers.ts';

describe('the cron trigger', () => {
  it('delivers a due reminder once and a digest exactly once, however often it runs', async () => {
    expect((await call('/healthz')).status).toBe(200); // boots: migrations, the seeded admin
    const [admin] = await rows<{ id: number }>(env.DB, "select id from staff where role = 'admin'");
    expect(admin).toBeDefined();
    await env.DB.batch([
      env.DB.prepare(
        "insert into reminders (staff_id, due_at, text, status, created_at, platform) values (?, 1, '回访王芳', 'pending', 0, 'telegram')",
      ).bind(admin!.id),
    ]);
    // A daily digest to a Telegram group at 00:00 UTC, subscribed long ago: owed now.
    const created = await call('/api/digests/subscriptions', {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        platform: 'telegram',
        target: { kind: 'chat', ref: '-1001234567890' },
        sendAt: '00:00',
        timeZone: 'UTC',
      }),
    });
    expect(created.status).toBe(201);
    await env.DB.prepare('update digest_subscriptions set created_at = 0').all();

    await Promise.all([cron(), cron()]); // two overlapping invocations
    await cron();

    const reminders = await rows<{ status: string }>(env.DB, 'select status from reminders');
    expect(reminders).toEqual([{ status: 'sent' }]);
    const reminderSends = await rows<{ status: string }>(
      env.DB,
      "select status from outbox where idempotency_key like 'reminder:%'",
    );
    expect(reminderSends).toEqual([{ status: 'sent' }]);
    const runs = await rows(env.DB, 'select id from digest_runs');
    expect(runs).toHaveLength(1);
    const digests = await rows<{ status: string }>(
      env.DB,
      "select status from outbox where idempotency_key like 'digest:%'",
    );
    expect(digests).toEqual([{ status: 'sent' }]);
  });
});
