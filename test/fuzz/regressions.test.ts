import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeFeishu } from '../../adapters/feishu/decode.ts';
import { feishuSignature, feishuVerifier } from '../../adapters/feishu/verify.ts';
import { decodeTelegram } from '../../adapters/telegram/decode.ts';
import { decodeWecom } from '../../adapters/wecom/decode.ts';
import type { CardActionEvent } from '../../src/core/ports/events.ts';
import { FEISHU, WECOM } from './properties.ts';

/** Inputs the fuzzers found crashing (TypeError from inside, or a 500 over HTTP), kept as fixed examples. */
const NOW = 1772417700_000;
const verify = feishuVerifier(FEISHU, { now: () => NOW });
const self = { appId: FEISHU.appId, botOpenId: 'ou_bot' };

function signedEncrypted(event: unknown): ReturnType<typeof verify> {
  const key = createHash('sha256').update(FEISHU.encryptKey).digest();
  const iv = Buffer.alloc(16, 7);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const plain = JSON.stringify(event);
  const body = JSON.stringify({
    encrypt: Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64'),
  });
  const timestamp = String(NOW / 1000);
  return verify({
    method: 'POST',
    url: 'https://crm.example/webhooks/feishu',
    headers: new Headers({
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': 'n',
      'x-lark-signature': feishuSignature(timestamp, 'n', FEISHU.encryptKey, body),
    }),
    body,
  });
}

const cardClick = (header: Record<string, unknown>, value: unknown) => ({
  schema: '2.0',
  header: {
    event_id: 'e1',
    event_type: 'card.action.trigger',
    create_time: '1',
    tenant_key: 't1',
    ...header,
  },
  event: { operator: { open_id: 'ou_x', tenant_key: 't1' }, action: { value } },
});

describe('fuzzing findings, fixed', () => {
  it('Feishu: an encrypted event whose token is an object is refused with 401, not a 500', () => {
    expect(signedEncrypted(cardClick({ token: { toString: 1 } }, {}))).toMatchObject({
      kind: 'reject',
      status: 401,
    });
  });

  it('Feishu: an encrypted body that decrypts to JSON null or a number is refused with 400', () => {
    expect(signedEncrypted(null)).toMatchObject({ kind: 'reject', status: 400 });
    expect(signedEncrypted(42)).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('Feishu: an event id that is not a string is refused with 400 (it is the dedup key)', () => {
    const event = cardClick({ token: FEISHU.verificationToken, event_id: 1 }, { action: 'assign_to_me' });
    expect(signedEncrypted(event)).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('Feishu: a card value keeps only its strings and numbers, so the core can read it', () => {
    const [click] = decodeFeishu(
      JSON.stringify(cardClick({}, { action: 'assign_to_me', customer: 7, evil: { toString: 1 } })),
      self,
    ) as CardActionEvent[];
    expect(click?.value).toEqual({ action: 'assign_to_me', customer: 7 });
  });

  it('Feishu: a message event with a wrong-typed message is refused with a clear Error, not a TypeError', () => {
    const event = {
      header: { event_id: 'e2', event_type: 'im.message.receive_v1', create_time: '1', tenant_key: 't' },
      event: { sender: { sender_id: { open_id: 'ou_a' }, sender_type: 'user' }, message: { toString: 1 } },
    };
    expect(() => decodeFeishu(JSON.stringify(event), self)).toThrow(/Feishu event of an unexpected shape/);
    expect(() => decodeFeishu(JSON.stringify(event), self)).not.toThrow(TypeError);
  });

  it('Telegram: a message with a chat of null or a date that is not a number is refused with a clear Error', () => {
    const bot = { id: '1', username: 'liaison_bot' };
    const update = (message: unknown) => JSON.stringify({ update_id: 1, message });
    const from = { id: 5, is_bot: false, first_name: 'A' };
    for (const message of [
      { message_id: 1, from, chat: null, date: 1, text: 'hi' },
      { message_id: 1, from, chat: { id: 5, type: 'private' }, date: ':', text: 'hi' },
      { message_id: 1, from, chat: { id: 5, type: 'private' }, date: 1, text: 42 },
    ]) {
      expect(() => decodeTelegram(update(message), NOW, bot)).toThrow(
        /Telegram update of an unexpected shape/,
      );
      expect(() => decodeTelegram(update(message), NOW, bot)).not.toThrow(TypeError);
    }
  });

  it('WeCom: a callback whose CreateTime is not a number is refused with a clear Error (no NaN dates)', () => {
    const xml =
      '<xml><FromUserName>zhangsan</FromUserName><CreateTime>!</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>';
    expect(() => decodeWecom(xml, WECOM.corpId)).toThrow('WeCom callback with a malformed CreateTime');
  });
});
