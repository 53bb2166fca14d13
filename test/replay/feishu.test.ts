import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { feishuEvent, postFeishu } from '../helpers/feishu-events.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

/**
 * Every Feishu message type, replayed as Feishu delivers it (encrypted, signed) from a customer of another tenant in
 * a group: the message lands on the customer's record, reads the same in the API timeline (`readable`, `content`) and
 * on the `/show` card a staff member asks for. Each fixture cites the page its content's shape was written from.
 */

interface Fixture {
  source: string;
  messageType: string;
  event: { header: { event_id: string }; event: Record<string, unknown> };
  /** What `GET im/v1/messages/{id}` answers for the message (merge_forward bundles). */
  api?: { items: Array<Record<string, unknown>> };
  expected: {
    contentType: string;
    text: string;
    content: Record<string, unknown> | null;
    readable: { zh: string; en: string };
  };
}

const DIR = new URL('../fixtures/replay/feishu/', import.meta.url);
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Fixture] as const);

const GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const OUR_TENANT = '2ed263bf32cf1651';
const ZHANGSAN = 'ou_0028f3516910a0480e104e37b7b65e71';

const messageOf = (f: Fixture) =>
  f.event.event.message as { message_id: string; message_type: string; chat_id: string };
const senderOf = (f: Fixture) =>
  (f.event.event.sender as { sender_id: { open_id: string } }).sender_id.open_id;
const nameOf = (file: string) => `回放 ${file.replace(/\.json$/, '')}`;

/** A card's markdown as a person reads it: entities decoded, word joiners and non-breaking spaces undone. */
interface Card {
  header: { title: { content: string } };
  body: { elements: Array<{ tag: string; content?: string }> };
}

const cardText = (card: Card) =>
  card.body.elements
    .filter((e) => e.tag === 'markdown')
    .map((e) => e.content ?? '')
    .join('\n')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replaceAll('&nbsp;', ' ')
    .replaceAll('\u2060', '');

interface TimelineEntry {
  type: string;
  text: string;
  contentType: string;
  content: Record<string, unknown> | null;
  readable: string;
}

describe('the replay corpus', () => {
  it('has a fixture for every message type Feishu documents, each citing its source', () => {
    const types = new Set(fixtures.map(([, f]) => f.messageType));
    for (const type of [
      'text',
      'post',
      'image',
      'file',
      'audio',
      'media',
      'sticker',
      'interactive',
      'share_chat',
      'share_user',
      'merge_forward',
      'location',
      'todo',
      'vote',
      'system',
      'hongbao',
      'share_calendar_event',
      'calendar',
      'general_calendar',
      'video_chat',
      'folder',
    ])
      expect(types, type).toContain(type);
    for (const [file, f] of fixtures) {
      expect(f.source, file).toMatch(/^https:\/\/open\.(feishu\.cn|larksuite\.com)\/document\//);
      expect(messageOf(f).message_type, file).toBe(f.messageType);
    }
  });
});

describe.each(serverDialectsUnderTest())('Feishu messages replayed on $name', (dialect) => {
  let h: Harness;
  let seq = 0;
  beforeAll(async () => {
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME });
    h.feishu.chatMembers.set(GROUP, [
      { member_id: ZHANGSAN, name: '张三', tenant_key: OUR_TENANT },
      ...fixtures.map(([file, f]) => ({
        member_id: senderOf(f),
        name: nameOf(file),
        tenant_key: 'ext-tenant-9f',
      })),
    ]);
    for (const [, f] of fixtures) if (f.api) h.feishu.messages.set(messageOf(f).message_id, f.api.items);
  });
  afterAll(async () => {
    await h?.close();
  });

  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
  const customerNamed = async (name: string) => {
    const list = await h.api<{ items: Array<{ id: number; name: string }> }>('/customers');
    const found = list.body.items.find((c) => c.name === name);
    if (!found) throw new Error(`no customer named ${name}`);
    return found.id;
  };
  const timeline = async (id: number, lang: 'zh' | 'en') =>
    (
      await h.api<{ timeline: TimelineEntry[] }>(`/customers/${id}`, undefined, {
        headers: { 'accept-language': lang },
      })
    ).body.timeline.filter((e) => e.type === 'message');
  /** 张三 asks for the customer's card in his chat with the bot; the card Liaison sends back. */
  const showCard = async (id: number) => {
    const ask = feishuEvent('event-im-message-p2p-text.json', `evt-show-${++seq}`, (e) => {
      e.event.message = {
        ...(e.event.message as object),
        message_id: `om_show_${seq}`,
        content: JSON.stringify({ text: `/show #${id}` }),
      };
    });
    expect((await postFeishu(h, ask)).status).toBe(200);
    const card = await waitFor(() =>
      h.feishu
        .callsTo('POST', '/open-apis/im/v1/messages')
        .map((c) => c.body as { msg_type: string; content: string })
        .filter((b) => b.msg_type === 'interactive')
        .map((b) => JSON.parse(b.content) as Card)
        .find((c) => c.header.title.content.endsWith(` #${id}`)),
    );
    return cardText(card);
  };

  it.each(fixtures)('%s reads the same in the timeline and on /show', async (file, f) => {
    const answer = await postFeishu(h, f.event);
    expect(answer.status).toBe(200);
    await settled();
    const id = await customerNamed(nameOf(file));
    const [zh] = await timeline(id, 'zh');
    expect(zh).toMatchObject({
      text: f.expected.text,
      contentType: f.expected.contentType,
      content: f.expected.content,
      readable: f.expected.readable.zh,
    });
    const [en] = await timeline(id, 'en');
    expect(en?.readable).toBe(f.expected.readable.en);
    expect(await showCard(id)).toContain(`${nameOf(file)}：${f.expected.readable.zh}`);
    // No placeholder or raw JSON ever reaches a reader.
    expect(zh?.readable).not.toMatch(/@_user_|@_all|"tag"|file_v3_|img_v3_/);
  });

  it('asked Feishu for the bundle’s messages once, with sender names, and for no other message', () => {
    const asked = h.feishu
      .callsTo('GET', '/open-apis/im/v1/messages/')
      .filter((c) => /^\/open-apis\/im\/v1\/messages\/[^/]+$/.test(c.path));
    expect(asked.map((c) => c.path).sort()).toEqual([
      '/open-apis/im/v1/messages/om_replay_merge_forward',
      '/open-apis/im/v1/messages/om_replay_merge_forward_unanswered',
    ]);
    expect(asked.every((c) => c.query.with_sender_name === 'true')).toBe(true);
  });
});
