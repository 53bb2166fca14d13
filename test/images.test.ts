import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundMessage, OutboundTarget } from '../src/core/ports/outbound.ts';
import { enqueue } from '../src/queue/outbox.ts';
import { serverDialectsUnderTest } from './helpers/databases.ts';
import { feishuFixture } from './helpers/fake-feishu.ts';
import {
  BOT_TOKEN,
  FEISHU_ENV,
  FIXTURE_TIME,
  type Harness,
  startHarness,
  WECOM_ENV,
  waitFor,
} from './helpers/harness.ts';

/** A real 1×1 PNG (a digest chart stands in). */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG_BYTES = Buffer.from(PNG, 'base64');
const TG_GROUP = '-1001234567890';
const FEISHU_GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const WECOM_CHAT = 'wrAppChat0001';
type Platform = 'telegram' | 'wecom' | 'feishu';
const WORKSPACE: Record<Platform, string> = {
  telegram: BOT_TOKEN.split(':')[0] as string,
  wecom: WECOM_ENV.WECOM_CORP_ID,
  feishu: FEISHU_ENV.FEISHU_APP_ID,
};
const digestCard = {
  title: '销售日报 3月2日',
  fields: [{ label: '新客户', value: '2' }],
  sections: [],
  buttons: [],
};

type Row = { status: string; attempts: number; content: string };

describe.each(serverDialectsUnderTest())('digest pictures on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const start = async () => {
    h = await startHarness(dialect, { wecom: true, feishu: true, clockAt: FIXTURE_TIME });
  };
  const send = async (platform: Platform, target: OutboundTarget, content: OutboundMessage['content']) => {
    const item: OutboundMessage = {
      platform,
      workspace: WORKSPACE[platform],
      target,
      content,
      idempotencyKey: `digest:${platform}:2026-03-02`,
    };
    await enqueue(h.db, [item], h.clock.now());
    h.server.liaison.outbox.kick();
  };
  /** The outbox row once it is settled (sent or failed). */
  const settledRow = () =>
    waitFor(async () => {
      const row = (await h.db
        .selectFrom('outbox')
        .select(['status', 'attempts', 'content'])
        .executeTakeFirstOrThrow()) as Row;
      return row.status === 'sent' || row.status === 'failed' ? row : undefined;
    }, 5_000);
  const quiet = () => new Promise((r) => setTimeout(r, 200));

  describe('Telegram', () => {
    const photos = () => h.telegram.callsTo('sendPhoto');

    it('sends the text, then the chart with sendPhoto as a multipart upload of the same bytes', async () => {
      await start();
      await send(
        'telegram',
        { kind: 'chat', chatId: TG_GROUP, chatKind: 'group' },
        {
          text: '销售日报：新客户 2',
          image: { base64: PNG },
        },
      );
      const row = await settledRow();
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
      const calls = h.telegram.calls.filter((c) => c.method.startsWith('send'));
      expect(calls.map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto']);
      expect(calls[0]?.body).toMatchObject({ chat_id: TG_GROUP, text: '销售日报：新客户 2' });
      const photo = calls[1];
      // Plain fields only: no caption, no reply (telegraf adds the method name to multipart bodies).
      expect(photo?.body).toEqual({ method: 'sendPhoto', chat_id: TG_GROUP });
      expect(photo?.files?.photo).toMatchObject({ filename: 'chart.png', size: PNG_BYTES.length });
      expect(photo?.files?.photo?.data.equals(PNG_BYTES)).toBe(true);
    });

    it('retries a photo refused with a 5xx alone: the text goes once and the row ends sent', async () => {
      await start();
      h.telegram.script('sendPhoto', {
        status: 502,
        body: { ok: false, error_code: 502, description: 'Bad Gateway' },
      });
      await send(
        'telegram',
        { kind: 'chat', chatId: TG_GROUP, chatKind: 'group' },
        {
          text: '销售日报',
          image: { base64: PNG },
        },
      );
      const row = await settledRow();
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      expect(JSON.parse(row.content)).toEqual({ text: '', image: { base64: PNG } });
      await quiet();
      expect(h.telegram.callsTo('sendMessage')).toHaveLength(1);
      expect(photos()).toHaveLength(2);
      expect(photos()[1]?.files?.photo?.data.equals(PNG_BYTES)).toBe(true);
    });
  });

  describe('Feishu', () => {
    const uploads = () => h.feishu.callsTo('POST', '/open-apis/im/v1/images');
    const messages = () => h.feishu.callsTo('POST', '/open-apis/im/v1/messages');

    it('uploads the chart, then sends one card that carries its image_key below the text', async () => {
      await start();
      await send(
        'feishu',
        { kind: 'chat', chatId: FEISHU_GROUP },
        {
          text: '销售日报',
          card: digestCard,
          image: { base64: PNG },
        },
      );
      expect(await settledRow()).toMatchObject({ status: 'sent', attempts: 1 });
      expect(uploads()).toHaveLength(1);
      const upload = uploads()[0];
      expect(upload?.body).toEqual({ image_type: 'message' });
      expect(upload?.files?.image?.data.equals(PNG_BYTES)).toBe(true);
      const [key] = [...h.feishu.images.keys()];
      expect(upload?.at).toBeLessThanOrEqual(messages()[0]?.at ?? 0);
      expect(h.feishu.deliveries).toHaveLength(1);
      const card = h.feishu.deliveries[0]?.content as { body: { elements: Array<{ tag: string }> } };
      const tags = card.body.elements.map((e) => e.tag);
      expect(tags.indexOf('img')).toBeGreaterThan(tags.indexOf('markdown'));
      expect(card.body.elements.find((e) => e.tag === 'img')).toMatchObject({ img_key: key });
    });

    it('without a card sends the text, then an image message', async () => {
      await start();
      await send(
        'feishu',
        { kind: 'chat', chatId: FEISHU_GROUP },
        { text: '销售日报', image: { base64: PNG } },
      );
      expect(await settledRow()).toMatchObject({ status: 'sent', attempts: 1 });
      const [key] = [...h.feishu.images.keys()];
      expect(h.feishu.deliveries.map((d) => [d.msgType, d.content])).toEqual([
        ['text', { text: '销售日报' }],
        ['image', { image_key: key }],
      ]);
      expect(new Set(h.feishu.deliveries.map((d) => d.uuid)).size).toBe(2);
    });

    it('retries an upload refused with a 5xx before anything is sent: the text goes once', async () => {
      await start();
      h.feishu.script('POST', '/open-apis/im/v1/images', {
        status: 500,
        body: { code: 1000004, msg: 'internal' },
      });
      await send(
        'feishu',
        { kind: 'chat', chatId: FEISHU_GROUP },
        { text: '销售日报', image: { base64: PNG } },
      );
      expect(await settledRow()).toMatchObject({ status: 'sent', attempts: 2 });
      await quiet();
      expect(uploads()).toHaveLength(2);
      expect(h.feishu.deliveries.map((d) => d.msgType)).toEqual(['text', 'image']);
      expect(messages()).toHaveLength(2);
    });

    it('retries a card whose upload failed with a 5xx, and then sends it once with the picture', async () => {
      await start();
      h.feishu.script('POST', '/open-apis/im/v1/images', {
        status: 503,
        body: { code: 1000004, msg: 'internal' },
      });
      await send(
        'feishu',
        { kind: 'chat', chatId: FEISHU_GROUP },
        { text: '销售日报', card: digestCard, image: { base64: PNG } },
      );
      expect(await settledRow()).toMatchObject({ status: 'sent', attempts: 2 });
      await quiet();
      expect(uploads()).toHaveLength(2);
      expect(messages()).toHaveLength(1);
      const [key] = [...h.feishu.images.keys()];
      expect(JSON.stringify(h.feishu.deliveries[0]?.content)).toContain(`"img_key":"${key}"`);
    });

    it('posts only the card to a custom bot webhook, which cannot take an uploaded picture', async () => {
      await start();
      const bot = feishuFixture('custom-bot-webhook-signed.json') as { hookToken: string; secret: string };
      await send(
        'feishu',
        {
          kind: 'robot',
          webhook: `${h.feishu.domain}/open-apis/bot/v2/hook/${bot.hookToken}`,
          secret: bot.secret,
        },
        { text: '销售日报', card: digestCard, image: { base64: PNG } },
      );
      expect(await settledRow()).toMatchObject({ status: 'sent', attempts: 1 });
      expect(uploads()).toHaveLength(0);
      expect(h.feishu.deliveries.map((d) => [d.via, d.msgType])).toEqual([['hook', 'interactive']]);
    });
  });

  describe('WeCom', () => {
    const uploads = () => h.wecom.callsTo('/cgi-bin/media/upload');
    const appchat = () => h.wecom.callsTo('/cgi-bin/appchat/send');

    it('sends the text to an app group chat, uploads the chart with the app token, then sends it by media_id', async () => {
      await start();
      await send(
        'wecom',
        { kind: 'chat', chatId: WECOM_CHAT, chatKind: 'group' },
        {
          text: '销售日报',
          image: { base64: PNG },
        },
      );
      expect(await settledRow()).toMatchObject({ status: 'sent', attempts: 1 });
      const order = h.wecom.calls
        .filter((c) => c.path !== '/cgi-bin/gettoken')
        .map((c) => `${c.path} ${(c.body as { msgtype?: string } | undefined)?.msgtype ?? ''}`.trim());
      expect(order).toEqual([
        '/cgi-bin/appchat/send text',
        '/cgi-bin/media/upload',
        '/cgi-bin/appchat/send image',
      ]);
      const upload = uploads()[0];
      expect(upload?.query.type).toBe('image');
      expect(upload?.secret).toBe(WECOM_ENV.WECOM_AGENT_SECRET);
      expect(upload?.files?.media).toMatchObject({ filename: 'chart.png', size: PNG_BYTES.length });
      expect(upload?.files?.media?.data.equals(PNG_BYTES)).toBe(true);
      const [mediaId] = [...h.wecom.media.keys()];
      expect(appchat()[1]?.body).toEqual({
        chatid: WECOM_CHAT,
        msgtype: 'image',
        image: { media_id: mediaId },
      });
    });

    it('sends a member the text, then the chart through message/send', async () => {
      await start();
      await send(
        'wecom',
        { kind: 'chat', chatId: 'zhangsan', chatKind: 'private' },
        {
          text: '销售日报',
          image: { base64: PNG },
        },
      );
      expect(await settledRow()).toMatchObject({ status: 'sent', attempts: 1 });
      const sends = h.wecom.callsTo('/cgi-bin/message/send').map((c) => c.body as Record<string, unknown>);
      const [mediaId] = [...h.wecom.media.keys()];
      expect(sends).toEqual([
        expect.objectContaining({ touser: 'zhangsan', msgtype: 'text', text: { content: '销售日报' } }),
        {
          touser: 'zhangsan',
          agentid: Number(WECOM_ENV.WECOM_AGENT_ID),
          msgtype: 'image',
          image: { media_id: mediaId },
        },
      ]);
    });

    it('retries an upload refused with a 5xx without sending the text again', async () => {
      await start();
      h.wecom.script('/cgi-bin/media/upload', { status: 503, body: {} });
      await send(
        'wecom',
        { kind: 'chat', chatId: WECOM_CHAT, chatKind: 'group' },
        {
          text: '销售日报',
          image: { base64: PNG },
        },
      );
      const row = await settledRow();
      expect(row).toMatchObject({ status: 'sent', attempts: 2 });
      expect(JSON.parse(row.content)).toEqual({ text: '', image: { base64: PNG } });
      await quiet();
      expect(uploads()).toHaveLength(2);
      expect(appchat().map((c) => (c.body as { msgtype: string }).msgtype)).toEqual(['text', 'image']);
    });
  });
});
