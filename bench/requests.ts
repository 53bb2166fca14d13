import { createCipheriv, createHash, randomBytes } from 'node:crypto';
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

export const FEISHU = {
  FEISHU_APP_ID: 'cli_a7c2e9f4b1d3500e',
  FEISHU_APP_SECRET: 'WTzZnHp5ZGH3ooJYNDkoF0eQfDk3UAtH',
  FEISHU_ENCRYPT_KEY: 'KvQI5CPswWKY1BBBmq4euNFgOUGGk8lB',
  FEISHU_VERIFICATION_TOKEN: 'wIjqFEVlgNZOxnRMDrBqpR74QkCdOJAM',
};
const feishuKey = createHash('sha256').update(FEISHU.FEISHU_ENCRYPT_KEY).digest();
let nextEvent = 0;

/**
 * A unique encrypted, signed Feishu event: a customer of another tenant writing in a group (stored and processed,
 * answered with nothing), with the non-compact body Feishu sends, timestamped now.
 */
export function feishuRequest(): BenchRequest {
  const n = nextEvent++;
  const event = {
    schema: '2.0',
    header: {
      event_id: `bench-${process.pid}-${n}`,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: FEISHU.FEISHU_VERIFICATION_TOKEN,
      app_id: FEISHU.FEISHU_APP_ID,
      tenant_key: '2ed263bf32cf1651',
    },
    event: {
      sender: {
        sender_id: { open_id: `ou_bench${n % 5_000}` },
        sender_type: 'user',
        tenant_key: 'ext-tenant',
      },
      message: {
        message_id: `om_bench_${n}`,
        create_time: String(Date.now()),
        chat_id: 'oc_bench_group',
        chat_type: 'group',
        message_type: 'text',
        content: JSON.stringify({ text: '你好，请问企业版一年多少钱？' }),
      },
    },
  };
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', feishuKey, iv);
  const encrypted = Buffer.concat([iv, cipher.update(JSON.stringify(event)), cipher.final()]).toString(
    'base64',
  );
  const body = `{"encrypt": "${encrypted}"}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(8).toString('hex');
  const signature = createHash('sha256')
    .update(timestamp + nonce + FEISHU.FEISHU_ENCRYPT_KEY + body)
    .digest('hex');
  return {
    path: '/webhooks/feishu',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signature,
    },
    body,
  };
}
