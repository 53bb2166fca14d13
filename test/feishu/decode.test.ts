import { describe, expect, it } from 'vitest';
import { customBotSign } from '../../adapters/feishu/api.ts';
import { decodeFeishu } from '../../adapters/feishu/decode.ts';
import { CARD_LIMIT_BYTES, renderCard } from '../../adapters/feishu/render.ts';
import type { CardActionEvent, MessageEvent } from '../../src/core/ports/events.ts';
import { FakeFeishu } from '../helpers/fake-feishu.ts';
import { feishuFile } from '../helpers/feishu-events.ts';

const self = { appId: 'cli_a7c2e9f4b1d3500e', botOpenId: FakeFeishu.BOT_OPEN_ID };
const decode = (event: unknown) => decodeFeishu(JSON.stringify(event), self);

describe('Feishu decoding', () => {
  it('reads a staff p2p message as a command from the brand side, keeping open_id, union_id and user_id', () => {
    const [m] = decode(feishuFile('event-im-message-p2p-text.json')) as MessageEvent[];
    expect(m).toMatchObject({
      kind: 'message',
      workspace: self.appId,
      occurredAt: 1772417700987,
      messageId: 'om_afffbe76310158650b95ba03b5c7b5ed',
      text: '查找 王芳',
      botCommandText: '查找 王芳',
      chat: { key: 'oc_c72232ea007e07596598e442973b0fac', kind: 'private' },
      sender: {
        externalId: 'ou_0028f3516910a0480e104e37b7b65e71',
        unionId: 'on_7ecabedfe20f727dc845b375fb7fffc1',
        otherIds: { user_id: 'e7c3b2f1' },
        side: 'brand',
      },
    });
  });

  it('resolves mentions to names and drops the bot’s own from the command', () => {
    const [m] = decode(feishuFile('event-im-message-group-mention.json')) as MessageEvent[];
    expect(m?.text).toBe('@客户助手 日报 on');
    expect(m?.botCommandText).toBe('日报 on');
    const notForUs = decode({
      ...feishuFile<Record<string, unknown>>('event-im-message-group-mention.json'),
    });
    expect((notForUs[0] as MessageEvent).chat.kind).toBe('group');
    const otherBot = decodeFeishu(JSON.stringify(feishuFile('event-im-message-group-mention.json')), {
      ...self,
      botOpenId: 'ou_someone_else',
    });
    expect((otherBot[0] as MessageEvent).botCommandText).toBeUndefined();
  });

  it('takes a sender of another tenant for a customer, flattens rich text, keeps files by reference', () => {
    const e = feishuFile<{
      event: { sender: { tenant_key: string }; message: { message_type: string; content: string } };
    }>('event-im-message-group-mention.json');
    e.event.sender.tenant_key = 'another-tenant';
    e.event.message.message_type = 'post';
    e.event.message.content = JSON.stringify({
      title: '报价',
      content: [
        [
          { tag: 'text', text: '第一行' },
          { tag: 'at', user_name: '张三' },
        ],
        [{ tag: 'a', text: '链接', href: 'https://x' }],
      ],
    });
    const [post] = decode(e) as MessageEvent[];
    expect(post?.sender.side).toBe('customer');
    expect(post?.text).toBe('报价\n第一行@张三\n链接');
    e.event.message.message_type = 'file';
    e.event.message.content = JSON.stringify({ file_key: 'file_v3_1', file_name: '合同.pdf' });
    const [file] = decode(e) as MessageEvent[];
    expect(file).toMatchObject({
      contentType: 'file',
      text: '',
      attachment: { type: 'file', key: 'file_v3_1', name: '合同.pdf' },
    });
  });

  it('reads a card click with who clicked, the button value and the card’s message', () => {
    const click = {
      schema: '2.0',
      header: {
        event_id: 'e1',
        event_type: 'card.action.trigger',
        create_time: '1772417800000',
        tenant_key: 't1',
        app_id: self.appId,
      },
      event: {
        operator: { open_id: 'ou_x', tenant_key: 't1' },
        action: { value: { action: 'assign_to_me', customer: 7 } },
        context: { open_message_id: 'om_1', open_chat_id: 'oc_1' },
      },
    };
    expect(decode(click)).toEqual([
      expect.objectContaining<Partial<CardActionEvent>>({
        kind: 'card_action',
        clickId: 'e1',
        value: { action: 'assign_to_me', customer: 7 },
        messageId: 'om_1',
        chatId: 'oc_1',
        actor: expect.objectContaining({ externalId: 'ou_x', side: 'brand' }),
      }),
    ]);
  });

  it('ignores the app’s own messages and event types it does not use', () => {
    const own = feishuFile<{ event: { sender: { sender_type: string } } }>('event-im-message-p2p-text.json');
    own.event.sender.sender_type = 'app';
    expect(decode(own)).toEqual([]);
    expect(
      decode({
        schema: '2.0',
        header: { event_id: 'x', event_type: 'im.chat.member.bot.added_v1' },
        event: {},
      }),
    ).toEqual([]);
  });
});

describe('Feishu cards and custom bots', () => {
  it('renders a card as JSON 2.0 with callback buttons, escaping markdown in data', () => {
    const json = renderCard({
      title: '王芳 #3',
      fields: [{ label: '标签', value: '*重点*' }],
      sections: [{ heading: '最近', text: '[看](http://x.example)' }],
      buttons: [{ label: '分配给我', value: { action: 'assign_to_me', customer: 3 }, primary: true }],
    });
    const card = JSON.parse(json ?? '{}');
    expect(card.schema).toBe('2.0');
    expect(card.body.elements[0].content).toBe('**标签**：&#42;重点&#42;');
    expect(card.body.elements[1].content).toBe('**最近**\n&#91;看&#93;&#40;http&#58;\u2060//x.example&#41;');
    expect(JSON.stringify(card)).toContain(
      '"behaviors":[{"type":"callback","value":{"action":"assign_to_me","customer":3}}]',
    );
  });

  it('drops sections from the end until the card fits', () => {
    const big = {
      title: 't',
      fields: [],
      sections: [{ text: 'a'.repeat(20_000) }, { text: 'b'.repeat(20_000) }],
      buttons: [],
    };
    const json = renderCard(big) as string;
    expect(new TextEncoder().encode(json).length).toBeLessThanOrEqual(CARD_LIMIT_BYTES);
    expect(json).toContain('aaaa');
    expect(json).not.toContain('bbbb');
  });

  it('signs a custom bot request as Feishu checks it', () => {
    const signed = feishuFile<{ secret: string; body: { timestamp: string; sign: string } }>(
      'custom-bot-webhook-signed.json',
    );
    expect(customBotSign(signed.body.timestamp, signed.secret)).toBe(signed.body.sign);
  });
});
