import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

/** One recorded kind of Telegram update, where its shape comes from, and what every reader must show of it. */
interface Fixture {
  file: string;
  source: string;
  kind: string;
  update: {
    update_id: number;
    message?: { from: { id: number } };
    my_chat_member?: { from: { id: number } };
  };
  /** null: no message (a service message, kept off the timeline, or a change of the bot's membership). */
  expect: {
    name: string;
    contentType: string;
    content?: Record<string, unknown>;
    readable: string;
    /** The Bot API field the file reference is kept from (`attachment.type`), when the message carries a file. */
    attachment?: string;
  } | null;
}

interface TimelineMessage {
  type: 'message';
  direction: string;
  contentType: string;
  text: string;
  content: Record<string, unknown> | null;
  readable: string;
  attachment: { type: string; key: string } | null;
}

const dir = new URL('../fixtures/replay/telegram/', import.meta.url);
const corpus: Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Omit<Fixture, 'file'>),
  }));
const messages = corpus.filter((f) => f.expect !== null);
const ADMIN = '5123456789';
/** A customer already on file with the number on the contact card someone else passes on. */
const CARD_PHONE = '+8613912345678';

describe.each(serverDialectsUnderTest())('Telegram replay corpus on $name', (dialect) => {
  let h: Harness;
  let known: number;
  beforeAll(async () => {
    h = await startHarness(dialect);
    known = (
      await h.api<{ id: number }>('/customers', undefined, {
        method: 'POST',
        body: JSON.stringify({ name: '王经理', phone: CARD_PHONE }),
      })
    ).body.id;
    for (const f of corpus) expect((await h.postUpdate(f.update)).status, f.file).toBe(200);
    await waitFor(async () => {
      const rows = await h.db.selectFrom('inbox').select('status').execute();
      return rows.length === corpus.length && rows.every((r) => r.status === 'done');
    }, 10_000);
  }, 30_000);
  afterAll(async () => {
    await h.close();
  });

  const customerOf = async (f: Fixture) =>
    (
      await h.db
        .selectFrom('identities')
        .select('customer_id')
        .where('platform', '=', 'telegram')
        .where('external_id', '=', String((f.update.message ?? f.update.my_chat_member)?.from.id))
        .executeTakeFirst()
    )?.customer_id;
  const timelineOf = async (id: number) =>
    (
      await h.api<{ timeline: Array<TimelineMessage | { type: 'event' }> }>(`/customers/${id}`, undefined, {
        headers: { 'accept-language': 'zh-CN' },
      })
    ).body.timeline.filter((t): t is TimelineMessage => t.type === 'message');

  it('cites a source for every fixture and covers every kind of message', () => {
    for (const f of corpus) expect(f.source, f.file).toMatch(/core\.telegram\.org\/bots\/api#[a-z-]+/);
    expect(new Set(corpus.map((f) => f.kind))).toEqual(
      new Set([
        'photo',
        'video',
        'video_note',
        'voice',
        'audio',
        'document',
        'animation',
        'sticker',
        'location',
        'venue',
        'contact',
        'poll',
        'story',
        'dice',
        'game',
        'invoice',
        'start',
        'service',
        'my_chat_member',
      ]),
    );
  });

  it.each(messages)('$file: one message on the timeline, with its content and readable form', async (f) => {
    const id = await customerOf(f);
    expect(id, f.file).toBeDefined();
    const [message, ...more] = await timelineOf(id as number);
    expect(more).toEqual([]);
    expect(message).toMatchObject({
      direction: 'in',
      contentType: f.expect?.contentType,
      content: f.expect?.content ?? null,
      readable: f.expect?.readable,
    });
    if (f.expect?.attachment) expect(message?.attachment?.type).toBe(f.expect.attachment);
  });

  it.each(messages)('$file: /show gives staff the same readable form', async (f) => {
    const id = await customerOf(f);
    const card = await telegramDriver(h).ask(ADMIN, `/show #${id}`);
    expect(card).toContain(`${f.expect?.name}：${f.expect?.readable}`);
  });

  it('keeps a /start (plain, as a reply, forwarded) on the timeline while its payload still names the source', async () => {
    for (const f of corpus.filter((x) => x.kind === 'start')) {
      const id = (await customerOf(f)) as number;
      const payload = f.expect?.readable.split(' ')[1];
      const detail = (await h.api<{ source: string | null }>(`/customers/${id}`)).body;
      expect(detail.source, f.file).toBe(payload ? `telegram:${payload}` : 'telegram');
    }
  });

  // A block (my_chat_member) by someone who never wrote has no identity to mark: test/telegram/unreachable.test.ts.
  it('keeps service messages (a pin) and blocks by strangers off the records, making nobody a customer', async () => {
    for (const f of corpus.filter((x) => x.expect === null))
      expect(await customerOf(f), f.file).toBeUndefined();
  });

  it("suggests the customer on file with the number of someone else's contact card, not with one's own", async () => {
    const passedOn = corpus.find((f) => f.file === 'contact-other.json') as Fixture;
    const sharer = (await customerOf(passedOn)) as number;
    const found = await h.api<{
      items: Array<{ customer: { id: number }; evidence: Array<{ signal: string }> }>;
    }>(`/customers/${sharer}/duplicates`);
    expect(found.body.items).toEqual([
      expect.objectContaining({
        customer: expect.objectContaining({ id: known }),
        evidence: [expect.objectContaining({ signal: 'stated_phone' })],
      }),
    ]);
    // Their own number shared is their phone, not a hint that they are someone else.
    const own = (await customerOf(corpus.find((f) => f.file === 'contact-own.json') as Fixture)) as number;
    const customer = await h.api<{ phone: string | null }>(`/customers/${own}`);
    expect(customer.body.phone).toContain('13712345678');
  });

  it("masks the phone on a contact card in a rep's /show", async () => {
    const f = corpus.find((x) => x.file === 'contact-other.json') as Fixture;
    const id = await customerOf(f);
    await h.db.updateTable('staff').set({ role: 'rep' }).execute();
    try {
      const card = await telegramDriver(h).ask(ADMIN, `/show #${id}`);
      expect(card).toContain('[名片] 王 经理');
      expect(card).toMatch(/\*{4}/);
      expect(card).not.toContain('13912345678');
    } finally {
      await h.db.updateTable('staff').set({ role: 'admin' }).execute();
    }
  });
});
