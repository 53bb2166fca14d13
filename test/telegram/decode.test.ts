import { describe, expect, it } from 'vitest';
import { decodeTelegram } from '../../adapters/telegram/decode.ts';
import type { MessageEvent } from '../../src/core/ports/events.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';

const bot = { id: '7012345678', username: 'LiaisonCrmBot' };
const decode = (update: unknown) => decodeTelegram(JSON.stringify(update), 1_772_418_999_000, bot);
const group = (text: string, extra: object = {}) => ({
  update_id: 1,
  message: {
    message_id: 5,
    date: 1772417940,
    chat: { id: -1001987654321, title: '华东销售群', type: 'supergroup' },
    from: { id: 5234567890, first_name: '李四' },
    text,
    ...extra,
  },
});

describe('Telegram decoding', () => {
  it('reads a private customer message with exact text, ids as strings', () => {
    const [event] = decode(telegramFixture('update-private-customer.json')) as MessageEvent[];
    expect(event).toMatchObject({
      kind: 'message',
      platform: 'telegram',
      workspace: '7012345678',
      messageId: '311',
      occurredAt: 1772417820_000,
      text: '你好，请问你们的CRM支持企业微信吗？一年多少钱？',
      chat: { key: '6234567890', kind: 'private', platformChatId: '6234567890', title: '陈小雨' },
      sender: {
        externalId: '6234567890',
        workspace: '',
        displayName: '陈小雨',
        username: 'xiaoyu_chen',
        language: 'zh-hans',
      },
      botCommandText: '你好，请问你们的CRM支持企业微信吗？一年多少钱？',
    });
  });

  it('treats only commands addressed to this bot in a group as commands', () => {
    const ours = decode(group('/digest@LiaisonCrmBot on'))[0] as MessageEvent;
    expect(ours.botCommandText).toBe('/digest on');
    expect((decode(group('/help'))[0] as MessageEvent).botCommandText).toBe('/help');
    expect((decode(group('/help@OtherBot'))[0] as MessageEvent).botCommandText).toBeUndefined();
    expect((decode(group('@LiaisonCrmBot /find 王芳'))[0] as MessageEvent).botCommandText).toBe('/find 王芳');
    expect((decode(group('大家好'))[0] as MessageEvent).botCommandText).toBeUndefined();
    const replyToBot = group('收到', {
      reply_to_message: { message_id: 4, from: { id: 7012345678, is_bot: true } },
    });
    expect((decode(replyToBot)[0] as MessageEvent).botCommandText).toBe('收到');
  });

  it('marks the business owner’s own messages as the brand side and keys business chats by connection', () => {
    const [customer] = decode(telegramFixture('update-business-message.json')) as MessageEvent[];
    const [owner] = decode(telegramFixture('update-business-message-owner.json')) as MessageEvent[];
    expect(customer?.sender.side).toBe('customer');
    expect(owner?.sender.side).toBe('brand');
    expect(owner?.chat).toEqual({
      key: 'business:AQAAA8HREgkAtqezZZRwbdyZnqr:6345678901',
      kind: 'business',
      platformChatId: '6345678901',
      title: '刘洋',
      connectionId: 'AQAAA8HREgkAtqezZZRwbdyZnqr',
    });
    expect(owner?.botCommandText).toBeUndefined(); // business chats are never answered
  });

  it('reads a business connection with its owner and reply right', () => {
    expect(decode(telegramFixture('update-business-connection.json'))).toEqual([
      expect.objectContaining({
        kind: 'connection',
        connectionId: 'AQAAA8HREgkAtqezZZRwbdyZnqr',
        owner: expect.objectContaining({ externalId: '5123456789', side: 'brand' }),
        ownerChatId: '5123456789',
        enabled: true,
        canReply: true,
      }),
    ]);
  });

  it('dates an edit and keeps a shared phone only when it is the sender’s own', () => {
    const edit = { update_id: 2, edited_message: { ...group('改了').message, edit_date: 1772418000 } };
    expect((decode(edit)[0] as MessageEvent).editedAt).toBe(1772418000_000);
    const own = group('', { contact: { phone_number: '+8613812345678', user_id: 5234567890 } });
    expect((decode(own)[0] as MessageEvent).sharedPhone).toBe('+8613812345678');
    const other = group('', { contact: { phone_number: '+8613900000000', user_id: 1 } });
    expect((decode(other)[0] as MessageEvent).sharedPhone).toBeUndefined();
  });

  it('ignores what is not a conversation: service messages, other bots, channels, unknown updates', () => {
    expect(decode(group('', { text: undefined, new_chat_members: [{ id: 1 }] }))).toEqual([]);
    expect(decode(group('hi', { from: { id: 1, is_bot: true } }))).toEqual([]);
    expect(
      decode({ update_id: 3, channel_post: { message_id: 1, date: 1, chat: { id: -100, type: 'channel' } } }),
    ).toEqual([]);
    expect(decode({ update_id: 4, poll: {} })).toEqual([]);
  });

  it('dates deletions of business messages by their receipt', () => {
    const deleted = {
      update_id: 5,
      deleted_business_messages: {
        business_connection_id: 'C1',
        chat: { id: 6345678901, type: 'private' },
        message_ids: [9001],
      },
    };
    expect(decode(deleted)).toEqual([
      expect.objectContaining({
        kind: 'messages_deleted',
        occurredAt: 1_772_418_999_000,
        messageIds: ['9001'],
      }),
    ]);
  });

  it('throws on a payload that is not JSON, so the inbox records why', () => {
    expect(() => decodeTelegram('{', 0, bot)).toThrow();
  });
});
