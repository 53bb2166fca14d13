import { readFileSync } from 'node:fs';
import { encrypt, getSignature } from '@wecom/crypto';
import type { BenchRequest } from './load.ts';

export const TELEGRAM_SECRET = 'bench_secret_0123456789abcdef';
export const TELEGRAM_TOKEN = '7012345678:AAFc2cZobEi_KzGY6YNpjFBL2Btszpwqk_X';
export const WECOM = {
  WECOM_CORP_ID: 'wx5823bf96d3bd56c7',
  WECOM_TOKEN: 'QDG6eK',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'bench-agent-secret-0123456789',
};

export const telegramUpdate = JSON.parse(
  readFileSync(new URL('../test/fixtures/telegram/update-private-customer.json', import.meta.url), 'utf8'),
) as { update_id: number; message: { message_id: number; from: { id: number }; chat: { id: number } } };

let nextUpdate = 900_000_000;

/** A unique Telegram update: a new update_id and message_id each, from a few thousand different customers. */
export function telegramRequest(): BenchRequest {
  const id = nextUpdate++;
  const user = 6_000_000_000 + (id % 5_000);
  return {
    path: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
    body: JSON.stringify({
      ...telegramUpdate,
      update_id: id,
      message: {
        ...telegramUpdate.message,
        message_id: id,
        from: { ...telegramUpdate.message.from, id: user },
        chat: { ...telegramUpdate.message.chat, id: user },
      },
    }),
  };
}

let nextMsgId = 7477281932010000000n;

/**
 * A unique encrypted, signed WeCom callback: an image message from one of a few thousand members (stored and
 * processed, answered with nothing), timestamped now.
 */
export function wecomRequest(): BenchRequest {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const i = Number(nextMsgId % 1_000_000n);
  {
    const msgId = String(nextMsgId++);
    const member = `member${i % 5_000}`;
    const xml = `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${member}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://example.com/p.jpg]]></PicUrl><MediaId><![CDATA[media${msgId}]]></MediaId><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;
    const ciphertext = encrypt(WECOM.WECOM_ENCODING_AES_KEY, xml, WECOM.WECOM_CORP_ID);
    const nonce = String(1_000_000 + i);
    const signature = getSignature(WECOM.WECOM_TOKEN, timestamp, nonce, ciphertext);
    return {
      path: `/webhooks/wecom?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
      headers: { 'content-type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[${WECOM.WECOM_CORP_ID}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${ciphertext}]]></Encrypt></xml>`,
    };
  }
}
