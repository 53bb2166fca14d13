import { createCipheriv, createHash } from 'node:crypto';
import { getSignature, encrypt as wecomEncrypt } from '@wecom/crypto';
import fc from 'fast-check';
import { decodeFeishu } from '../../adapters/feishu/decode.ts';
import { decryptFeishu, feishuSignature, feishuVerifier } from '../../adapters/feishu/verify.ts';
import { decodeTelegram } from '../../adapters/telegram/decode.ts';
import { SECRET_HEADER as TELEGRAM_SECRET_HEADER, verifyTelegram } from '../../adapters/telegram/verify.ts';
import { decodeWeb } from '../../adapters/web/decode.ts';
import { SECRET_HEADER as WEB_SECRET_HEADER } from '../../adapters/web/types.ts';
import { verifyWeb } from '../../adapters/web/verify.ts';
import { archiveKey, verifyArchivePush } from '../../adapters/wecom/archive.ts';
import { decodeWecom, parseWecomXml } from '../../adapters/wecom/decode.ts';
import type { WecomConfig } from '../../adapters/wecom/types.ts';
import { verifyWecom } from '../../adapters/wecom/verify.ts';
import type { WebhookRequest } from '../../src/core/ports/adapter.ts';
import { secretMatcher } from '../../src/lib/safe-equal.ts';
import { ARCHIVE_SECRET, archiveFixture, archiveHeaders } from '../helpers/wecom-archive.ts';
import {
  anyText,
  byteBody,
  feishuEvents,
  jsonBody,
  mutated,
  telegramUpdates,
  webPosts,
  wecomCallbacks,
  wecomXmlBody,
  wellFormed,
} from './arbitraries.ts';
import { assertVerdict, async, decodeChecked, type FuzzTarget, sync } from './checks.ts';
import { coreTargets } from './core-properties.ts';

export type { FuzzTarget } from './checks.ts';

/** The fixtures' moment (2026-03-02 10:15 +08:00): signed requests are fresh at it. */
const NOW = 1772417700_000;
const clock = { now: () => NOW };

export const WECOM: WecomConfig = {
  corpId: 'wx5823bf96d3bd56c7',
  token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  agentId: 1000002,
  agentSecret: 'agent-secret',
  contactSecret: null,
} as WecomConfig;
export const FEISHU = {
  appId: 'cli_a7c2e9f4b1d3500e',
  appSecret: 'app-secret',
  encryptKey: 'KvQI5CPswWKY1BBBmq4euNFgOUGGk8lB',
  verificationToken: 'wIjqFEVlgNZOxnRMDrBqpR74QkCdOJAM',
  domain: 'feishu',
};
const TELEGRAM_SECRET = 'fuzz-telegram-secret';
const WEB_SECRET = 'fuzz-web-secret';
const BOT = { id: '7000000001', username: 'liaison_bot' };

const request = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string,
): WebhookRequest => ({
  method,
  url,
  headers: new Headers(headers),
  body,
});
const method = fc.oneof(
  { weight: 5, arbitrary: fc.constant('POST') },
  fc.constantFrom('GET', 'PUT', 'DELETE'),
);
/** Header values as fetch allows them (Latin-1, no line breaks); arbitrary otherwise. */
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

const telegramMatches = secretMatcher(TELEGRAM_SECRET);
const webMatches = secretMatcher(WEB_SECRET);
const verifyFeishu = feishuVerifier(FEISHU, clock);

function encryptFeishuText(plaintext: string, iv: Uint8Array): string {
  const key = createHash('sha256').update(FEISHU.encryptKey).digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([Buffer.from(iv), cipher.update(plaintext, 'utf8'), cipher.final()]).toString(
    'base64',
  );
}

function signedWecom(plaintext: string, receiveId = WECOM.corpId) {
  const timestamp = String(NOW / 1000);
  const nonce = '1372623149';
  const encrypted = wecomEncrypt(WECOM.encodingAesKey, plaintext, receiveId);
  const signature = getSignature(WECOM.token, timestamp, nonce, encrypted);
  return request(
    'POST',
    `https://crm.example/webhooks/wecom?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    { 'content-type': 'text/xml' },
    `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  );
}

function signedFeishu(body: string) {
  const timestamp = String(NOW / 1000);
  const nonce = 'n0nce';
  return request(
    'POST',
    'https://crm.example/webhooks/feishu',
    {
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': feishuSignature(timestamp, nonce, FEISHU.encryptKey, body),
    },
    body,
  );
}

const ARCHIVE_URL = 'https://crm.example/webhooks/wecom-archive';
const ARCHIVE_KEY = archiveKey(ARCHIVE_SECRET);
const archiveRecords = ['one-to-one.json', 'group.json'].flatMap((f) => archiveFixture(f).records);

/** Every fuzzed decoder: the platforms' verifiers and decoders here, the core's parsers in core-properties.ts. */
export const fuzzTargets: FuzzTarget[] = [
  {
    name: 'telegram: verify → decode (any body, headers and method)',
    weight: 10,
    property: async(
      [
        method,
        fc.option(fc.oneof(fc.constant(TELEGRAM_SECRET), headerValue)),
        fc.oneof(jsonBody(telegramUpdates), byteBody),
      ],
      async (m, secret, body) => {
        const verdict = await verifyTelegram(
          request(
            m,
            'https://crm.example/webhooks/telegram',
            secret === null ? {} : { [TELEGRAM_SECRET_HEADER]: secret },
            body,
          ),
          telegramMatches,
        );
        assertVerdict(verdict);
        if (verdict.kind === 'accept')
          for (const d of verdict.deliveries) decodeChecked(() => decodeTelegram(d.payload, NOW, BOT));
      },
    ),
  },
  {
    name: 'wecom: encrypted, signed callbacks of arbitrary XML → verify → decode',
    weight: 6,
    property: sync(
      [wecomXmlBody, fc.constantFrom(WECOM.corpId, WECOM.corpId, 'wx-other-corp')],
      (xml, receiveId) => {
        const verdict = verifyWecom(signedWecom(xml, receiveId), WECOM, clock);
        assertVerdict(verdict);
        if (verdict.kind === 'accept') {
          if (verdict.deliveries[0]?.payload !== wellFormed(xml))
            throw new Error('decrypted payload is not what was encrypted');
          for (const d of verdict.deliveries) decodeChecked(() => decodeWecom(d.payload, WECOM.corpId));
        }
      },
    ),
  },
  {
    name: 'wecom: forged query strings and envelopes are refused with a 4xx',
    weight: 10,
    property: sync([method, anyText(120), fc.oneof(wecomXmlBody, byteBody)], (m, query, body) => {
      const verdict = verifyWecom(
        request(m, `https://crm.example/webhooks/wecom?${query}`, {}, body),
        WECOM,
        clock,
      );
      assertVerdict(verdict);
      if (verdict.kind !== 'reject') throw new Error(`forged request got ${verdict.kind}`);
    }),
  },
  {
    name: 'wecom: the XML reader returns flat string fields or null',
    weight: 15,
    property: sync([wecomXmlBody], (xml) => {
      const fields = parseWecomXml(xml);
      if (fields === null) return;
      for (const v of Object.values(fields)) if (typeof v !== 'string') throw new Error('non-string field');
      decodeChecked(() => decodeWecom(xml, WECOM.corpId));
    }),
  },
  {
    name: 'wecom: every fixture callback survives encrypt → verify unchanged',
    weight: 1,
    property: sync([fc.constantFrom(...wecomCallbacks)], (xml) => {
      const verdict = verifyWecom(signedWecom(xml), WECOM, clock);
      if (verdict.kind !== 'accept' || verdict.deliveries[0]?.payload !== xml)
        throw new Error('round trip failed');
    }),
  },
  {
    name: 'wecom archive: signed pushes of arbitrary records → verify → decode',
    weight: 6,
    property: sync(
      [
        fc.oneof(
          fc
            .constantFrom(...archiveRecords)
            .chain(mutated)
            .map((r) => JSON.stringify({ records: [r] })),
          jsonBody([{ records: archiveRecords.slice(0, 4) }]),
        ),
      ],
      (body) => {
        const headers = archiveHeaders(body, NOW);
        const verdict = verifyArchivePush(request('POST', ARCHIVE_URL, headers, body), ARCHIVE_KEY, clock);
        assertVerdict(verdict);
        if (verdict.kind === 'accept')
          for (const d of verdict.deliveries) decodeChecked(() => decodeWecom(d.payload, WECOM.corpId));
      },
    ),
  },
  {
    name: 'feishu: encrypted, signed envelopes of arbitrary JSON → verify → decode',
    weight: 6,
    property: sync(
      [
        fc.oneof(jsonBody(feishuEvents), anyText(100)),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.boolean(),
      ],
      (plaintext, iv, signed) => {
        const body = JSON.stringify({ encrypt: encryptFeishuText(plaintext, iv) });
        const req = signed
          ? signedFeishu(body)
          : request('POST', 'https://crm.example/webhooks/feishu', {}, body);
        const verdict = verifyFeishu(req);
        assertVerdict(verdict);
        if (decryptFeishu(FEISHU.encryptKey, JSON.parse(body).encrypt) !== wellFormed(plaintext))
          throw new Error('round trip failed');
        if (verdict.kind === 'accept')
          for (const d of verdict.deliveries)
            decodeChecked(() => decodeFeishu(d.payload, { appId: FEISHU.appId, botOpenId: 'ou_bot' }));
      },
    ),
  },
  {
    name: 'feishu: forged bodies, headers and ciphertexts are refused with a 4xx',
    weight: 10,
    property: sync(
      [
        method,
        fc.oneof(
          jsonBody(feishuEvents),
          byteBody,
          anyText(60).map((t) => JSON.stringify({ encrypt: t })),
        ),
        fc.dictionary(
          fc.constantFrom('x-lark-request-timestamp', 'x-lark-request-nonce', 'x-lark-signature'),
          headerValue,
        ),
      ],
      (m, body, headers) => {
        const verdict = verifyFeishu(request(m, 'https://crm.example/webhooks/feishu', headers, body));
        assertVerdict(verdict);
        if (verdict.kind === 'accept') throw new Error('forged event accepted');
      },
    ),
  },
  {
    name: 'feishu: decode of any stored event JSON (card actions included)',
    weight: 10,
    property: sync([jsonBody(feishuEvents).filter((b) => isJson(b))], (payload) =>
      decodeChecked(() => decodeFeishu(payload, { appId: FEISHU.appId, botOpenId: 'ou_bot' })),
    ),
  },
  {
    name: 'web playground: verify → decode',
    weight: 10,
    property: async(
      [
        method,
        fc.constantFrom('localhost:3000', '127.0.0.1', '[::1]:80', 'evil.example', ''),
        fc.option(fc.oneof(fc.constant(WEB_SECRET), headerValue)),
        fc.option(fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null', 'not a url')),
        fc.oneof(jsonBody(webPosts), byteBody),
      ],
      async (m, host, secret, origin, body) => {
        const headers: Record<string, string> = { host };
        if (secret !== null) headers[WEB_SECRET_HEADER] = secret;
        if (origin !== null) headers.origin = origin;
        const verdict = await verifyWeb(
          request(m, 'http://localhost/webhooks/web', headers, body),
          webMatches,
        );
        assertVerdict(verdict);
        if (verdict.kind === 'accept')
          for (const d of verdict.deliveries) decodeChecked(() => decodeWeb(d.payload, NOW));
      },
    ),
  },
  ...coreTargets,
];

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
