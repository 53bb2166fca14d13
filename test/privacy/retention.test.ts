import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { blankOldPayloads } from '../../src/core/records/privacy/retention.ts';
import { postTelegramPrivate } from '../helpers/chat-driver.ts';
import { dialectsUnderTest, serverDialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { type Harness, startHarness, TestClock, waitFor } from '../helpers/harness.ts';

/** Background work (sends, timed work, the model) on a machine shared with other work: generous waits. */
const eventually: typeof waitFor = (probe, timeoutMs = 10_000) => waitFor(probe, timeoutMs);

const DAY = 86_400_000;

describe.each(serverDialectsUnderTest())('inbox payload retention on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, { env: { INBOX_PAYLOAD_RETENTION_DAYS: '30' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  const inbox = () =>
    h.db.selectFrom('inbox').select(['id', 'dedup_key', 'payload', 'status']).orderBy('id').execute();

  it('blanks processed payloads past the retention, keeps their dedup keys, and leaves the rest', async () => {
    for (const [user, text] of [
      ['8822000001', '第一条旧消息'],
      ['8822000002', '第二条旧消息'],
    ] as const) {
      await postTelegramPrivate(h, user, '旧客户', text);
    }
    await eventually(
      async () => (await inbox()).every((r) => r.status === 'done') && (await inbox()).length === 2,
    );
    const old = await inbox();
    const { workspace } = await h.db.selectFrom('inbox').select('workspace').executeTakeFirstOrThrow();
    // A delivery still waiting (its retry far away): never blanked, however old.
    await h.db
      .insertInto('inbox')
      .values({
        platform: 'telegram',
        workspace,
        dedup_key: '990099001',
        payload: '{"update_id":990099001}',
        status: 'pending',
        attempts: 3,
        available_at: h.clock.now() + 365 * DAY,
        received_at: h.clock.now(),
      })
      .execute();

    h.clock.advance(31 * DAY);
    await postTelegramPrivate(h, '8822000003', '新客户', '新消息');
    await eventually(async () => (await inbox()).filter((r) => r.payload === '').length === 2, 5_000);
    const rows = await inbox();
    expect(rows.map((r) => r.dedup_key)).toEqual([
      ...old.map((r) => r.dedup_key),
      '990099001',
      expect.any(String),
    ]);
    expect(rows[2]?.payload).toBe('{"update_id":990099001}');
    expect(rows[3]?.payload).toContain('新消息');

    // A platform redelivering an old update still finds its row: nothing is processed again.
    const messages = async () => (await h.db.selectFrom('messages').select('id').execute()).length;
    await eventually(async () => (await inbox()).filter((r) => r.status === 'pending').length === 1);
    const before = await messages();
    expect((await h.postUpdate(old[0]?.payload)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await messages()).toBe(before);
    expect(await inbox()).toHaveLength(rows.length);
    expect((await inbox())[0]?.payload).toBe('');
  });
});

describe.each(dialectsUnderTest())('the retention sweep’s batches on $name', (dialect) => {
  let t: TestDatabase;
  const clock = new TestClock(Date.UTC(2026, 10, 30));
  beforeEach(async () => {
    t = await dialect.open();
    const old = clock.now() - 40 * DAY;
    await t.db
      .insertInto('inbox')
      .values(
        Array.from({ length: 5 }, (_, i) => ({
          platform: 'telegram' as const,
          workspace: 'bot',
          dedup_key: String(i),
          payload: `{"n":${i}}`,
          status: i === 4 ? ('failed' as const) : ('done' as const),
          attempts: 1,
          available_at: old,
          received_at: old + i,
        })),
      )
      .execute();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('blanks in bounded batches, oldest first, and keeps everything when the retention is 0', async () => {
    expect(await blankOldPayloads({ db: t.db, clock }, 0)).toBe(0);
    expect(await blankOldPayloads({ db: t.db, clock }, 60)).toBe(0);
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await blankOldPayloads({ db: t.db, clock }, 30, 2));
    expect(counts).toEqual([2, 2, 1, 0]);
    const rows = await t.db.selectFrom('inbox').select(['dedup_key', 'payload']).orderBy('id').execute();
    expect(rows).toEqual(['0', '1', '2', '3', '4'].map((k) => ({ dedup_key: k, payload: '' })));
  });
});

describe('INBOX_PAYLOAD_RETENTION_DAYS', () => {
  it('defaults to 30 days, takes 0 to keep payloads, and names itself when wrong', () => {
    expect(loadConfig({}).org.inboxPayloadRetentionDays).toBe(30);
    expect(loadConfig({ INBOX_PAYLOAD_RETENTION_DAYS: '0' }).org.inboxPayloadRetentionDays).toBe(0);
    for (const bad of ['-1', 'thirty', '1.5']) {
      expect(() => loadConfig({ INBOX_PAYLOAD_RETENTION_DAYS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ INBOX_PAYLOAD_RETENTION_DAYS: bad })).toThrow(/INBOX_PAYLOAD_RETENTION_DAYS/);
    }
  });
});
