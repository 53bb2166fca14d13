import { afterEach, describe, expect, it } from 'vitest';
import {
  replyInTelegram,
  sentMessageRecorded,
  telegramCustomer,
  telegramDriver,
} from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { API_TOKEN, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml } from '../helpers/wecom-callbacks.ts';

const ADMIN = '5234567890';
const REP = '5500000002';
const CUSTOMER = '7500000001';

/** Pictures, files and voice notes travel with relays and replies where the platform can copy them. */
describe.each(serverDialectsUnderTest())('attachments in relays and replies on $name', (dialect) => {
  let h: Harness;
  let nextId = 995_000_000;
  afterEach(async () => {
    await h?.close();
  });

  /** The customer sends something other than text to the bot; resolves with its message id. */
  async function customerSends(fields: Record<string, unknown>): Promise<number> {
    const id = nextId++;
    await h.postUpdate({
      update_id: id,
      message: {
        message_id: id,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(CUSTOMER), type: 'private', first_name: '王芳' },
        from: { id: Number(CUSTOMER), is_bot: false, first_name: '王芳' },
        ...fields,
      },
    });
    return id;
  }
  const copiesTo = (chatId: string) =>
    h.telegram.callsTo('copyMessage').filter((c) => String(c.body.chat_id) === chatId);

  it('copies a customer’s picture to the rep without its caption, which the relay shows masked', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 华南组`);
    const id = await telegramCustomer(h, CUSTOMER, '王芳');
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);

    const photo = [{ file_id: 'AgACAgUAAxkBAAIB', file_unique_id: 'AQADx', width: 800, height: 600 }];
    const pictureId = await customerSends({ photo, caption: '我的名片，电话 13812345678' });
    const copy = await waitFor(() => copiesTo(REP)[0]);
    expect(copy.body).toMatchObject({
      chat_id: REP,
      from_chat_id: CUSTOMER,
      message_id: pictureId,
      caption: '',
    });
    const relay = await waitFor(() => chat.sentTo(REP).find((t) => t.includes('我的名片')));
    expect(relay).toContain('138****5678');
    expect(relay).not.toContain('13812345678');

    // A sticker has no caption to drop; a contact card reads in the relay with its phone masked, and is never copied.
    h.clock.advance(3_000);
    await customerSends({
      sticker: { file_id: 'CAACAgIAAxkBAAIC', file_unique_id: 'AgADs', width: 512, height: 512 },
    });
    const sticker = await waitFor(() => copiesTo(REP)[1]);
    expect(sticker.body).not.toHaveProperty('caption');
    h.clock.advance(3_000);
    await customerSends({ contact: { phone_number: '+8613900001111', first_name: '李雷' } });
    await waitFor(() => chat.sentTo(REP).find((t) => t.includes('[名片] 李雷')));
    await new Promise((r) => setTimeout(r, 300));
    expect(copiesTo(REP)).toHaveLength(2);
    expect(h.telegram.callsTo('sendMessage').some((c) => String(c.body.text).includes('13900001111'))).toBe(
      false,
    );

    // Replying to the copied picture answers the customer, as replying to the relay does.
    const copied = (copy.answer?.body as { result?: { message_id?: number } } | undefined)?.result
      ?.message_id;
    await sentMessageRecorded(h, copied);
    const before = chat.sentTo(CUSTOMER).length;
    await replyInTelegram(h, REP, copied, { text: '收到名片，稍后联系您' });
    expect(await waitFor(() => chat.sentTo(CUSTOMER)[before])).toBe('收到名片，稍后联系您');
  });

  it('sends the rep’s picture answering a relay to the customer as it is, on the timeline as theirs', async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 华南组');
    await chat.ask(ADMIN, `/staff add telegram:${REP} rep 华南组`);
    const id = await telegramCustomer(h, CUSTOMER, '王芳', '能发一下产品图吗？');
    await chat.ask(ADMIN, `/assign #${id} telegram:${REP}`);
    h.clock.advance(3_000);
    await customerSends({ text: '最好是白色款的' });
    const relay = await waitFor(() =>
      h.telegram
        .callsTo('sendMessage')
        .find((c) => String(c.body.chat_id) === REP && String(c.body.text).includes('白色款')),
    );
    const relayId = (relay.answer?.body as { result?: { message_id?: number } } | undefined)?.result
      ?.message_id;

    await sentMessageRecorded(h, relayId);
    const pictureId = await replyInTelegram(h, REP, relayId, { photoId: 'AgACAgUAAxkBAAIC' });
    const copy = await waitFor(() => copiesTo(CUSTOMER)[0]);
    expect(copy.body).toMatchObject({ chat_id: CUSTOMER, from_chat_id: REP, message_id: pictureId });
    expect(await waitFor(() => chat.sentTo(REP).find((t) => t.startsWith('已回复')))).toBe(
      `已回复 #${id} 王芳（Telegram）。`,
    );
    const out = await waitFor(async () => {
      const rows = await h.db
        .selectFrom('messages')
        .select(['text', 'content_type', 'author_kind'])
        .where('customer_id', '=', id)
        .where('direction', '=', 'out')
        .execute();
      return rows.length === 1 ? rows : undefined;
    });
    expect(out).toEqual([{ text: '', content_type: 'image', author_kind: 'staff' }]);
  });

  it('tells the rep a picture cannot go to a WeChat Customer Service customer, and sends nothing', async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME + 15 * 60_000 });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 客服组');
    await chat.ask(ADMIN, `/staff add telegram:${REP} manager 客服组`);
    h.wecom.kfCustomers.set('wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA', { nickname: '小周' });
    h.wecom.kfPages.push(FakeWecom.kfSyncFixture());
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    const relay = await waitFor(() =>
      h.telegram
        .callsTo('sendMessage')
        .find((c) => String(c.body.chat_id) === REP && String(c.body.text).startsWith('💬')),
    );
    const relayId = (relay.answer?.body as { result?: { message_id?: number } } | undefined)?.result
      ?.message_id;
    await sentMessageRecorded(h, relayId);
    await replyInTelegram(h, REP, relayId, { photoId: 'AgACAgUAAxkBAAID', caption: '这是发票样张' });
    expect(await waitFor(() => chat.sentTo(REP).find((t) => t.includes('附件')))).toContain('收不到这个附件');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.wecom.callsTo('/cgi-bin/kf/send_msg')).toEqual([]);
    expect(h.telegram.callsTo('copyMessage')).toEqual([]);
  });

  it('sends a picture through the API where the customer’s channel takes pictures, and says why where it does not', async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME + 15 * 60_000 });
    const id = await telegramCustomer(h, CUSTOMER, '王芳');
    const send = (customer: number, body: unknown, key: string) =>
      h.api<Record<string, unknown>>(`/customers/${customer}/messages`, API_TOKEN, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'idempotency-key': key },
      });
    const picture = PNG_1X1.toString('base64');
    expect(await send(id, { text: '这是新款的实拍图', image: picture }, 'photo-1')).toMatchObject({
      status: 202,
    });
    expect((await send(id, { text: '这是新款的实拍图', image: picture }, 'photo-1')).status).toBe(202);
    const photo = await waitFor(() => h.telegram.callsTo('sendPhoto')[0]);
    expect(String(photo.body.chat_id)).toBe(CUSTOMER);
    expect(photo.files?.photo?.size).toBe(PNG_1X1.length);
    expect(h.telegram.callsTo('sendMessage').filter((c) => c.body.text === '这是新款的实拍图')).toHaveLength(
      1,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.callsTo('sendPhoto')).toHaveLength(1);
    // A picture alone is a message too; something that is not a PNG or JPEG is refused before anything is sent.
    expect((await send(id, { text: '', image: picture }, 'photo-2')).status).toBe(202);
    expect(await send(id, { text: '看图', image: 'bm90IGFuIGltYWdl' }, 'photo-3')).toMatchObject({
      status: 400,
    });
    expect((await send(id, { text: '' }, 'photo-4')).status).toBe(400);

    // WeChat Customer Service answers are text only: 409, and nothing reaches WeCom.
    h.wecom.kfCustomers.set('wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA', { nickname: '小周' });
    h.wecom.kfPages.push(FakeWecom.kfSyncFixture());
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    const kf = await waitFor(
      async () =>
        (
          await h.db
            .selectFrom('chats')
            .select('customer_id')
            .where('kind', '=', 'service')
            .executeTakeFirst()
        )?.customer_id,
    );
    expect(await send(kf as number, { text: '发票样张', image: picture }, 'photo-5')).toMatchObject({
      status: 409,
      body: { reason: 'attachment_elsewhere' },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(h.wecom.callsTo('/cgi-bin/kf/send_msg')).toEqual([]);
  });
});

/** The smallest PNG: one transparent pixel. */
const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
