import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWecom } from '../../adapters/wecom/decode.ts';
import { readableMessage } from '../../src/core/kernel/readable-message.ts';
import type { MessageEvent } from '../../src/core/ports/events.ts';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';
import { ARCHIVE_SECRET, customerIdOf, pushArchive } from '../helpers/wecom-archive.ts';
import { postWecom, wecomXml } from '../helpers/wecom-callbacks.ts';

/**
 * The WeCom replay corpus (test/fixtures/replay/wecom): one payload per kind of message WeCom sends through each door
 * (app callbacks, 微信客服 kf/sync_msg, 会话内容存档 records), each citing the documentation it was written from, and
 * the readable form it must take. Replayed end to end: app callbacks encrypted and signed like WeCom's, 微信客服
 * messages pulled from the fake sync_msg answer after a kf_msg_or_event callback, archive records pushed by the
 * companion's signed webhook.
 */
interface Fixture {
  name: string;
  source: string;
  channel: 'app' | 'kf' | 'archive';
  kind: string;
  readable?: { zh: string; en: string };
  /** Instead of a readable message: the notice it puts on the customer's timeline. */
  notice?: string;
  xml?: string;
  customer?: string;
  messages?: Array<Record<string, unknown>>;
  record?: Record<string, unknown>;
}

const DIR = join(import.meta.dirname, '..', 'fixtures', 'replay', 'wecom');
const FIXTURES: Fixture[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f, ...(JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Omit<Fixture, 'name'>) }));
const of = (channel: Fixture['channel']) => FIXTURES.filter((f) => f.channel === channel);
const ADMIN = '5123456789';

interface Entry {
  type: 'message' | 'event';
  kind?: string;
  text?: string;
  readable?: string;
  content?: { kind: string } | null;
}

describe('the WeCom replay corpus', () => {
  it('has a documented payload and a readable form for every kind', () => {
    expect(of('app').length).toBeGreaterThanOrEqual(6);
    expect(of('kf').length).toBeGreaterThanOrEqual(15);
    expect(of('archive').length).toBeGreaterThanOrEqual(25);
    for (const f of FIXTURES) {
      expect(f.source, f.name).toMatch(/developer\.work\.weixin\.qq\.com\/document\/path\/\d+/);
      expect(f.readable ?? f.notice, f.name).toBeTruthy();
      // Nothing reads as blank, a bare platform type or the generic "a message".
      for (const r of Object.values(f.readable ?? {}))
        expect(['', `[${f.kind}]`, '[消息]', '[Message]'], f.name).not.toContain(r.trim());
    }
  });
});

describe.each(serverDialectsUnderTest())('WeCom replay corpus on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, {
      wecom: true,
      clockAt: FIXTURE_TIME,
      env: { WECOM_ARCHIVE_SECRET: ARCHIVE_SECRET },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const inbox = () =>
    h.db.selectFrom('inbox').select(['dedup_key', 'status', 'last_error', 'payload']).orderBy('id').execute();
  const settled = (count: number) =>
    waitFor(async () => {
      const rows = await inbox();
      return rows.length >= count && rows.every((r) => r.status === 'done' || r.status === 'failed') && rows;
    }, 15_000);
  const timeline = async (externalId: string, language: string) =>
    (
      await h.api<{ timeline: Entry[] }>(`/customers/${await customerIdOf(h, externalId)}`, undefined, {
        headers: { 'accept-language': language },
      })
    ).body.timeline;

  /** The customer's last message reads as the fixture says, in both languages, in the API and in `/show`. */
  const expectReadable = async (f: Fixture) => {
    const customer = f.customer as string;
    if (f.notice) {
      const events = (await timeline(customer, 'zh-CN')).filter((t) => t.type === 'event');
      expect(
        events.map((t) => t.kind),
        f.name,
      ).toContain(f.notice);
      return;
    }
    const readable = f.readable as { zh: string; en: string };
    for (const [lang, header] of [
      ['zh', 'zh-CN'],
      ['en', 'en-US'],
    ] as const) {
      const last = (await timeline(customer, header)).filter((t) => t.type === 'message').at(-1);
      expect(last?.readable, `${f.name} (${lang})`).toBe(readable[lang]);
    }
    const card = await telegramDriver(h).ask(ADMIN, `/show #${await customerIdOf(h, customer)}`);
    expect(card, f.name).toContain(readable.zh);
  };

  it('reads every app callback kind a member sends, from the encrypted callback to its readable form', async () => {
    const fixtures = of('app');
    for (const f of fixtures) expect((await postWecom(h, f.xml as string)).status, f.name).toBe(200);
    const rows = await settled(fixtures.length);
    expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
    for (const f of fixtures) {
      const stored = rows.find((r) => r.payload === f.xml);
      expect(stored, f.name).toBeDefined();
      // A member's app message is theirs to the bot (never on a customer's record): its readable form is the one
      // the stored delivery decodes to.
      const [event] = decodeWecom(stored?.payload as string, WECOM_ENV.WECOM_CORP_ID) as MessageEvent[];
      const body = {
        text: event?.text ?? '',
        contentType: event?.contentType ?? '',
        content: event?.content ?? null,
      };
      expect(readableMessage(body, 'zh'), f.name).toBe(f.readable?.zh);
      expect(readableMessage(body, 'en'), f.name).toBe(f.readable?.en);
    }
  });

  it('reads every 微信客服 kind pulled with sync_msg, on the customer’s timeline and in /show', async () => {
    const fixtures = of('kf');
    const before = (await inbox()).length;
    const base = wecomXml('event-kf-msg-or-event.xml');
    h.wecom.kfPages.push({
      next_cursor: 'replay-cursor',
      has_more: 0,
      msg_list: fixtures.flatMap((f) => f.messages ?? []),
    });
    expect((await postWecom(h, base)).status).toBe(200);
    const rows = await settled(before + 1);
    expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
    expect(h.logs.filter((l) => l.message === 'service messages skipped')).toEqual([]);
    for (const f of fixtures) await expectReadable(f);
  });

  it('reads every archive record kind the companion pushes, on the customer’s timeline and in /show', async () => {
    const fixtures = of('archive');
    const before = (await inbox()).length;
    const records = fixtures.map((f) => f.record as Record<string, unknown>);
    expect((await pushArchive(h, { records })).status).toBe(200);
    // One delivery per record, and one for how far the push reached.
    const rows = await settled(before + records.length + 1);
    expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
    for (const f of fixtures) await expectReadable(f);
  });
});
