import { afterEach, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

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

    // A sticker has no caption to drop; a contact card is named in the relay but never copied (its phone is whole).
    h.clock.advance(3_000);
    await customerSends({
      sticker: { file_id: 'CAACAgIAAxkBAAIC', file_unique_id: 'AgADs', width: 512, height: 512 },
    });
    const sticker = await waitFor(() => copiesTo(REP)[1]);
    expect(sticker.body).not.toHaveProperty('caption');
    h.clock.advance(3_000);
    await customerSends({ contact: { phone_number: '+8613900001111', first_name: '李雷' } });
    await waitFor(() => chat.sentTo(REP).find((t) => t.includes('[contact]')));
    await new Promise((r) => setTimeout(r, 300));
    expect(copiesTo(REP)).toHaveLength(2);
    expect(h.telegram.callsTo('sendMessage').some((c) => String(c.body.text).includes('13900001111'))).toBe(
      false,
    );

    // Replying to the copied picture answers the customer, as replying to the relay does.
    const copied = (copy.answer?.body as { result?: { message_id?: number } } | undefined)?.result
      ?.message_id;
    const before = chat.sentTo(CUSTOMER).length;
    await h.postUpdate({
      update_id: nextId++,
      message: {
        message_id: nextId,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: Number(REP), type: 'private', first_name: '销售' },
        from: { id: Number(REP), is_bot: false, first_name: '销售', language_code: 'zh-hans' },
        text: '收到名片，稍后联系您',
        reply_to_message: { message_id: copied, date: 0, chat: { id: Number(REP), type: 'private' } },
      },
    });
    expect(await waitFor(() => chat.sentTo(CUSTOMER)[before])).toBe('收到名片，稍后联系您');
  });
});
