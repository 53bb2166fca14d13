import { afterEach, describe, expect, it } from 'vitest';
import { recordLlmCall } from '../src/core/kernel/llm-usage.ts';
import { postTelegramPrivate } from './helpers/chat-driver.ts';
import { serverDialectsUnderTest } from './helpers/databases.ts';
import { telegramFixture } from './helpers/fake-telegram.ts';
import { type Harness, startHarness, waitFor } from './helpers/harness.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the Prometheus text format strictly: every line a HELP, a TYPE or a sample of a declared metric. */
function parsePrometheus(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === 'TYPE') {
        expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(comment[3]);
        types.set(comment[2] as string, comment[3] as string);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!sample) throw new Error(`not Prometheus text: ${line}`);
    const name = sample[1] as string;
    const family = name.replace(/_(bucket|sum|count|total|created)$/, '');
    if (!types.has(name) && !types.has(family)) throw new Error(`sample of an undeclared metric: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[m[1] as string] = m[2] as string;
    samples.push({ name, labels, value: Number(sample[3]) });
  }
  return samples;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

const privateUpdate = telegramFixture('update-private-customer.json') as { update_id: number };

for (const dialect of serverDialectsUnderTest()) {
  describe(`GET /metrics on ${dialect.name}`, () => {
    let h: Harness;
    afterEach(async () => {
      await h.close();
    });
    const scrape = (token: string | null = METRICS_TOKEN) =>
      fetch(`${h.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

    it('does not exist without METRICS_TOKEN', async () => {
      h = await startHarness(dialect);
      expect((await scrape()).status).toBe(404);
      expect((await scrape(null)).status).toBe(404);
    });

    it('asks for the token: none or a wrong one gets 401', async () => {
      h = await startHarness(dialect, { env: { METRICS_TOKEN } });
      const none = await scrape(null);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect((await scrape('metrics-token-0123456789abcdeX')).status).toBe(401);
      expect((await scrape('short')).status).toBe(401);
      expect((await scrape()).status).toBe(200);
    });

    it('counts webhooks by platform and status, and shows queues and LLM usage from the database', async () => {
      h = await startHarness(dialect, { env: { METRICS_TOKEN } });
      for (let i = 0; i < 3; i++)
        expect(
          (await h.postUpdate({ ...privateUpdate, update_id: privateUpdate.update_id + i })).status,
        ).toBe(200);
      expect((await h.postUpdate(privateUpdate, { secret: 'wrong-secret-wrong-secret' })).status).toBe(401);
      expect((await fetch(`${h.url}/webhooks/nonsense-${Date.now()}`, { method: 'POST' })).status).toBe(404);

      // A send the platform refuses for good: the admin's answer goes to a chat Telegram does not know.
      h.telegram.script('sendMessage', {
        status: 400,
        body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
      });
      await postTelegramPrivate(h, '5123456789', '张三', '/help');
      await waitFor(() =>
        h.db.selectFrom('outbox').select('id').where('status', '=', 'failed').executeTakeFirst(),
      );
      await waitFor(
        async () =>
          !(await h.db.selectFrom('outbox').select('id').where('status', '=', 'pending').executeTakeFirst()),
      );
      // Every delivery so far processed (chats are processed side by side, so /help may be answered first).
      await waitFor(
        async () =>
          !(await h.db.selectFrom('inbox').select('id').where('status', '=', 'pending').executeTakeFirst()),
      );
      // A delivery waiting two minutes for its retry.
      const now = h.clock.now();
      await h.db
        .insertInto('inbox')
        .values({
          platform: 'telegram',
          workspace: '7012345678',
          dedup_key: 'metrics-test-retry',
          payload: '{}',
          status: 'pending',
          attempts: 1,
          available_at: now + 3_600_000,
          lease_owner: null,
          last_error: 'test',
          received_at: now - 120_000,
          processed_at: null,
        })
        .execute();
      for (const [ok, usage] of [
        [true, { promptTokens: 300, completionTokens: 20 }],
        [true, { promptTokens: 100, completionTokens: 5 }],
        [false, null],
      ] as const)
        await recordLlmCall(h.db, {
          purpose: 'assistant',
          model: 'gpt-4o-mini',
          promptVersion: 'test',
          staffId: null,
          startedAt: now,
          finishedAt: now + 500,
          usage,
          error: ok ? null : 'APIError 500',
        });

      const res = await scrape();
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const samples = parsePrometheus(await res.text());
      const webhooks = 'liaison_webhook_request_duration_seconds_count';
      expect(value(samples, webhooks, { platform: 'telegram', status: '200' })).toBeGreaterThanOrEqual(3);
      expect(value(samples, webhooks, { platform: 'telegram', status: '401' })).toBe(1);
      expect(value(samples, webhooks, { platform: 'unknown', status: '404' })).toBe(1);
      expect(samples.filter((s) => s.name === webhooks && s.labels.platform?.startsWith('nonsense'))).toEqual(
        [],
      );
      expect(
        value(samples, 'liaison_webhook_request_duration_seconds_bucket', {
          platform: 'telegram',
          status: '200',
          le: '+Inf',
        }),
      ).toBeGreaterThanOrEqual(3);
      expect(value(samples, 'liaison_database_up')).toBe(1);
      expect(value(samples, 'liaison_inbox_pending', { platform: 'telegram' })).toBe(1);
      expect(
        value(samples, 'liaison_inbox_oldest_pending_age_seconds', { platform: 'telegram' }),
      ).toBeGreaterThanOrEqual(119);
      expect(value(samples, 'liaison_outbox_failed', { platform: 'telegram' })).toBe(1);
      expect(value(samples, 'liaison_outbox_pending', { platform: 'telegram' })).toBe(0);
      const llm = { purpose: 'assistant', model: 'gpt-4o-mini' };
      expect(value(samples, 'liaison_llm_calls', { ...llm, outcome: 'ok' })).toBe(2);
      expect(value(samples, 'liaison_llm_calls', { ...llm, outcome: 'error' })).toBe(1);
      expect(value(samples, 'liaison_llm_tokens', { ...llm, kind: 'prompt' })).toBe(400);
      expect(value(samples, 'liaison_llm_tokens', { ...llm, kind: 'completion' })).toBe(25);
      expect(value(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    });
  });
}
