import { createCipheriv, createHash } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { encrypt, getSignature } from '@wecom/crypto';
import { feishuEvent } from '../helpers/feishu-events.ts';
import { FEISHU_ENV, WEBHOOK_SECRET, WECOM_ENV } from '../helpers/harness.ts';
import { wecomXml, withField } from '../helpers/wecom-callbacks.ts';

/** A request as it goes on the wire: every byte and header chosen by the generator. */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Sent without Content-Length, so the server must stop reading at its limit. */
  chunked?: boolean;
}

export interface Forgery {
  kind: string;
  request: RawRequest;
}

/** Deterministic generators for one platform: forgeries cycle through every kind, variants drawn from the seed. */
export interface PlatformCorpus {
  platform: 'telegram' | 'wecom' | 'wecom-archive' | 'feishu' | 'web';
  kinds: readonly string[];
  forge(rng: Rng, n: number): Forgery;
  /** A genuine request with a fresh id (for the replay checks); never reuses a forgery's id. */
  valid(n: number): RawRequest;
}

export interface CorpusContext {
  now(): number;
  /** The web channel's per-process secret, as the playground page carries it. */
  webSecret: string;
}

export type Rng = ReturnType<typeof seededRng>;

/** mulberry32: the same seed gives the same corpus on every run. */
export function seededRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const randomText = (rng: Rng, length: number, alphabet = B64) =>
  Array.from({ length }, () => alphabet[rng.int(alphabet.length)]).join('');

/** One byte flipped, inserted or deleted somewhere in `text` (printable, never whitespace, so no parser trims it). */
export function tamper(rng: Rng, text: string): string {
  const at = rng.int(text.length);
  const c = rng.pick(B64.split(''));
  switch (rng.int(3)) {
    case 0:
      return text.slice(0, at) + (text[at] === c ? (c === 'A' ? 'B' : 'A') : c) + text.slice(at + 1);
    case 1:
      return text.slice(0, at) + c + text.slice(at);
    default:
      return text.slice(0, at) + text.slice(at + 1);
  }
}

/** A secret that is close to the real one but not it: off by one character, cut, extended, re-cased, another's. */
export function wrongSecret(rng: Rng, secret: string): string {
  const variants = [
    () => tamper(rng, secret),
    () => secret.slice(0, 1 + rng.int(secret.length - 1)),
    () => `${secret}${randomText(rng, 1 + rng.int(4))}`,
    () => (secret.toUpperCase() === secret ? secret.toLowerCase() : secret.toUpperCase()),
    () => randomText(rng, secret.length),
    () => randomText(rng, 1 + rng.int(300)),
    () => 'null',
  ];
  const value = rng.pick(variants)();
  return value === secret ? `${secret}x` : value;
}

/** Bytes that are not UTF-8: a lone continuation byte, an overlong slash, 0xFF, a cut multibyte character. */
export function nonUtf8(rng: Rng, body: Buffer, at = rng.int(body.length)): Buffer {
  const junk = Buffer.from(rng.pick([[0x80], [0xc0, 0xaf], [0xff, 0xfe], [0xe6, 0x9f], [0xed, 0xa0, 0x80]]));
  return Buffer.concat([body.subarray(0, at), junk, body.subarray(at)]);
}

// Just outside a 300 s window: one second of skew plus one for the sender's whole-second rounding.
export const FUTURE_S = 302;
const OVERSIZE = 1024 * 1024 + 1;
export const oversize = (rng: Rng) => Buffer.alloc(OVERSIZE + rng.int(4096), rng.pick(['x', '{', '<', ' ']));
export const OTHER_METHODS = ['PUT', 'PATCH', 'DELETE'] as const;
const CONTENT_TYPES = ['application/json', 'text/xml', 'text/plain', 'application/x-www-form-urlencoded', ''];

export function request(
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
  method = 'POST',
): RawRequest {
  return { method, path, headers, body: typeof body === 'string' ? Buffer.from(body) : body };
}

/** Telegram signs nothing: the secret header is the whole proof, and a genuine body must still be an update. */
export function telegramCorpus(): PlatformCorpus {
  const HEADER = 'x-telegram-bot-api-secret-token';
  const update = (id: number) =>
    JSON.stringify({
      update_id: id,
      message: {
        message_id: id,
        date: 1772417700,
        chat: { id: 7000000001, type: 'private', first_name: 'Forged' },
        from: { id: 7000000001, is_bot: false, first_name: 'Forged', language_code: 'en' },
        text: `hello ${id}`,
      },
    });
  const signed = (body: string | Buffer, secret: string | null = WEBHOOK_SECRET, method = 'POST') =>
    request(
      '/webhooks/telegram',
      { 'content-type': 'application/json', ...(secret === null ? {} : { [HEADER]: secret }) },
      body,
      method,
    );
  const notAnUpdate = (id: number) => [
    '{"message":{"text":"no id"}}',
    `{"update_id":-${id}}`,
    `{"update_id":${id}.5}`,
    `{"update_id":"${id}"}`,
    '{"update_id":null}',
    `{"update_id":${2 ** 60}}`,
    `[{"update_id":${id}}]`,
    'null',
    `${id}`,
    `{"update_id":${id},"update_id":-1}`,
    '',
  ];
  const kinds = {
    'missing-secret': (id: number) => signed(update(id), null),
    'empty-secret': (id: number) => signed(update(id), ''),
    'wrong-secret': (id: number, rng: Rng) => signed(update(id), wrongSecret(rng, WEBHOOK_SECRET)),
    'secret-elsewhere': (id: number, rng: Rng) => {
      const r = signed(update(id), null);
      if (rng.int(2)) r.headers.authorization = `Bearer ${WEBHOOK_SECRET}`;
      else r.path += `?secret_token=${WEBHOOK_SECRET}`;
      return r;
    },
    'tampered-body-wrong-secret': (id: number, rng: Rng) =>
      signed(tamper(rng, update(id)), rng.pick([null, '', wrongSecret(rng, WEBHOOK_SECRET)])),
    'truncated-json': (id: number, rng: Rng) => {
      const body = update(id);
      return signed(body.slice(0, rng.int(body.length - 1)));
    },
    'not-an-update': (id: number, rng: Rng) => signed(rng.pick(notAnUpdate(id))),
    'non-utf8-structure': (id: number, rng: Rng) =>
      signed(nonUtf8(rng, Buffer.from(update(id)).subarray(1), 0)),
    'non-utf8-wrong-secret': (id: number, rng: Rng) =>
      signed(nonUtf8(rng, Buffer.from(update(id))), wrongSecret(rng, WEBHOOK_SECRET)),
    'other-method': (id: number, rng: Rng) => signed(update(id), WEBHOOK_SECRET, rng.pick(OTHER_METHODS)),
    'get-method': () => signed('', WEBHOOK_SECRET, 'GET'),
    oversize: (_: number, rng: Rng) => signed(oversize(rng)),
  };
  return corpus('telegram', kinds, (n) => signed(update(n)), 1_000_000);
}

/** WeCom: SHA-1 over token, timestamp, nonce and the ciphertext; AES with the receive id (corp id) inside. */
export function wecomCorpus(ctx: CorpusContext): PlatformCorpus {
  const plain = (id: number) => withField(wecomXml('msg-text-member.xml'), 'MsgId', String(id));
  const nowS = () => Math.floor(ctx.now() / 1000);
  const build = (
    ciphertext: string,
    o: { timestamp?: string; nonce?: string; token?: string; query?: Record<string, string> } = {},
    method = 'POST',
  ) => {
    const timestamp = o.timestamp ?? String(nowS());
    const nonce = o.nonce ?? '1372623149';
    const signature = getSignature(o.token ?? WECOM_ENV.WECOM_TOKEN, timestamp, nonce, ciphertext);
    const query = { msg_signature: signature, timestamp, nonce, ...o.query };
    const qs = Object.entries(query)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return request(`/webhooks/wecom?${qs}`, { 'content-type': 'text/xml' }, envelope(ciphertext), method);
  };
  const envelope = (ciphertext: string) =>
    `<xml><ToUserName><![CDATA[${WECOM_ENV.WECOM_CORP_ID}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${ciphertext}]]></Encrypt></xml>`;
  const sealed = (text: string, receiveId = WECOM_ENV.WECOM_CORP_ID) =>
    encrypt(WECOM_ENV.WECOM_ENCODING_AES_KEY, text, receiveId);
  const kinds = {
    'tampered-ciphertext': (id: number, rng: Rng) => {
      const c = sealed(plain(id));
      return { ...build(c), body: Buffer.from(envelope(tamper(rng, c))) };
    },
    'truncated-base64': (id: number, rng: Rng) => {
      const c = sealed(plain(id));
      const cut = c.slice(0, 1 + rng.int(c.length - 2));
      return rng.int(2) ? build(cut) : { ...build(c), body: Buffer.from(envelope(cut)) };
    },
    'missing-param': (id: number, rng: Rng) => dropParam(build(sealed(plain(id))), rng, false),
    'empty-param': (id: number, rng: Rng) => dropParam(build(sealed(plain(id))), rng, true),
    'wrong-signature': (id: number, rng: Rng) => {
      const r = build(sealed(plain(id)));
      const sig = /msg_signature=([0-9a-f]+)/.exec(r.path)?.[1] as string;
      const forged = rng.pick([tamper(rng, sig), sig.toUpperCase(), randomText(rng, 40, '0123456789abcdef')]);
      return { ...r, path: r.path.replace(sig, encodeURIComponent(forged === sig ? `${sig}0` : forged)) };
    },
    'wrong-token': (id: number, rng: Rng) =>
      build(sealed(plain(id)), { token: wrongSecret(rng, WECOM_ENV.WECOM_TOKEN) }),
    'duplicate-signature-param': (id: number) => {
      const r = build(sealed(plain(id)));
      return { ...r, path: `${r.path}&msg_signature=${'0'.repeat(40)}` };
    },
    'stale-timestamp': (id: number, rng: Rng) =>
      build(sealed(plain(id)), { timestamp: String(nowS() - 301 - rng.int(86_400 * 30)) }),
    'future-timestamp': (id: number, rng: Rng) =>
      build(sealed(plain(id)), {
        timestamp: String(rng.int(2) ? nowS() + FUTURE_S + rng.int(3600) : 999_999_999_999),
      }),
    'malformed-timestamp': (id: number, rng: Rng) =>
      build(sealed(plain(id)), {
        timestamp: rng.pick(['abc', '-5', '1e9', '1772417700000', ' 1', `${nowS()}.0`, '0x69a4f0e4']),
      }),
    'nonce-reuse-other-body': (id: number) => {
      const first = build(sealed(plain(id)));
      return { ...first, body: build(sealed(plain(id + 500_000))).body };
    },
    'wrong-receive-id': (id: number, rng: Rng) =>
      build(
        sealed(
          plain(id),
          rng.pick([
            'wwSomeOtherCorp01',
            '',
            `${WECOM_ENV.WECOM_CORP_ID}x`,
            WECOM_ENV.WECOM_CORP_ID.toUpperCase(),
          ]),
        ),
      ),
    'wrong-aes-key': (id: number, rng: Rng) =>
      build(encrypt(`${randomText(rng, 42, B64.slice(0, 62))}A`, plain(id), WECOM_ENV.WECOM_CORP_ID)),
    'bad-padding-or-length': (id: number, rng: Rng) => build(badWecomCipher(rng, plain(id))),
    'inner-doctype': (id: number) =>
      build(
        sealed(`<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>${plain(id).replace('跟进', '&x;')}`),
      ),
    'inner-not-xml': (id: number, rng: Rng) =>
      build(sealed(rng.pick([`{"MsgId":"${id}"}`, '', 'plain text', '<xml><MsgId>1'] as const))),
    'outer-doctype': (id: number) => {
      const r = build(sealed(plain(id)));
      return { ...r, body: Buffer.from(`<!DOCTYPE xml [<!ENTITY e "x">]>${r.body}`) };
    },
    'outer-not-envelope': (id: number, rng: Rng) => {
      const r = build(sealed(plain(id)));
      const text = r.body.toString();
      const body = rng.pick([
        '',
        text.replace(/<Encrypt>.*<\/Encrypt>/, ''),
        text.replace('</xml>', ''),
        JSON.stringify({ Encrypt: 'x' }),
      ]);
      return { ...r, body: Buffer.from(body) };
    },
    'duplicate-encrypt-element': (id: number) => {
      const r = build(sealed(plain(id)));
      return {
        ...r,
        body: Buffer.from(r.body.toString().replace('<Encrypt>', '<Encrypt>AAAA</Encrypt><Encrypt>')),
      };
    },
    'non-utf8-ciphertext': (id: number, rng: Rng) => {
      const r = build(sealed(plain(id)));
      return { ...r, body: nonUtf8(rng, r.body, r.body.indexOf('<Encrypt>') + 20) };
    },
    'malformed-query': (id: number, rng: Rng) => {
      const r = build(sealed(plain(id)));
      return { ...r, path: `${r.path}&${rng.pick(['%zz', 'x=%E6%9F', '%'])}` };
    },
    'other-method': (id: number, rng: Rng) => build(sealed(plain(id)), {}, rng.pick(OTHER_METHODS)),
    'get-without-echostr': (id: number) => ({
      ...build(sealed(plain(id)), {}, 'GET'),
      body: Buffer.alloc(0),
    }),
    oversize: (id: number, rng: Rng) => ({ ...build(sealed(plain(id))), body: oversize(rng) }),
  };
  return corpus('wecom', kinds, (n) => build(sealed(plain(n))), 1_000_000);
}

function dropParam(r: RawRequest, rng: Rng, empty: boolean): RawRequest {
  const name = rng.pick(['msg_signature', 'timestamp', 'nonce']);
  const path = r.path.replace(new RegExp(`${name}=[^&]*&?`), empty ? `${name}=&` : '').replace(/&$/, '');
  return { ...r, path };
}

/** A WeCom ciphertext with the right key but broken structure: bad PKCS#7 padding or a lying length field. */
function badWecomCipher(rng: Rng, message: string): string {
  const key = Buffer.from(`${WECOM_ENV.WECOM_ENCODING_AES_KEY}=`, 'base64');
  const msg = Buffer.from(message);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(rng.int(2) ? msg.length + 1 + rng.int(10_000) : 0xffffffff);
  let plain = Buffer.concat([Buffer.alloc(16, 7), len, msg, Buffer.from(WECOM_ENV.WECOM_CORP_ID)]);
  const pad = 32 - (plain.length % 32);
  const padByte = rng.int(2) ? pad : rng.pick([0, 33, 255]);
  if (padByte === pad) plain = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  else plain = Buffer.concat([plain, Buffer.alloc(pad - 1, 1), Buffer.from([padByte])]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Feishu: SHA-256 over timestamp, nonce, Encrypt Key and the raw body; AES inside; the token and app id inside. */
export function feishuCorpus(ctx: CorpusContext): PlatformCorpus {
  const nowS = () => Math.floor(ctx.now() / 1000);
  const event = (id: number, change: (e: ReturnType<typeof feishuEvent>) => void = () => {}) =>
    feishuEvent('event-im-message-p2p-text.json', `evt-forgery-${id}`, change);
  const seal = (text: string, key = FEISHU_ENV.FEISHU_ENCRYPT_KEY, iv = Buffer.alloc(16, 3)) => {
    const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
    return Buffer.concat([iv, cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
  };
  const signed = (
    body: string | Buffer,
    o: { timestamp?: string; nonce?: string; key?: string } = {},
    method = 'POST',
  ) => {
    const timestamp = o.timestamp ?? String(nowS());
    const nonce = o.nonce ?? 'a1b2c3d4e5f60718';
    const signature = createHash('sha256')
      .update(timestamp + nonce + (o.key ?? FEISHU_ENV.FEISHU_ENCRYPT_KEY))
      .update(body)
      .digest('hex');
    return request(
      '/webhooks/feishu',
      {
        'content-type': 'application/json; charset=utf-8',
        'x-lark-request-timestamp': timestamp,
        'x-lark-request-nonce': nonce,
        'x-lark-signature': signature,
      },
      body,
      method,
    );
  };
  const wrap = (ciphertext: string) => `{"encrypt": "${ciphertext}"}`;
  const genuine = (id: number) => wrap(seal(JSON.stringify(event(id))));
  const HEADERS = ['x-lark-request-timestamp', 'x-lark-request-nonce', 'x-lark-signature'];
  const kinds = {
    'tampered-body': (id: number, rng: Rng) => {
      const r = signed(genuine(id));
      return { ...r, body: Buffer.from(tamper(rng, r.body.toString())) };
    },
    'missing-header': (id: number, rng: Rng) => {
      const r = signed(genuine(id));
      for (const h of rng.int(4) ? [rng.pick(HEADERS)] : HEADERS) delete r.headers[h];
      return r;
    },
    'empty-header': (id: number, rng: Rng) => {
      const r = signed(genuine(id));
      r.headers[rng.pick(HEADERS)] = '';
      return r;
    },
    'wrong-key': (id: number, rng: Rng) =>
      signed(genuine(id), { key: wrongSecret(rng, FEISHU_ENV.FEISHU_ENCRYPT_KEY) }),
    'wrong-signature': (id: number, rng: Rng) => {
      const r = signed(genuine(id));
      const sig = r.headers['x-lark-signature'] as string;
      r.headers['x-lark-signature'] = rng.pick([tamper(rng, sig), sig.toUpperCase(), randomText(rng, 64)]);
      return r;
    },
    'stale-timestamp': (id: number, rng: Rng) =>
      signed(genuine(id), { timestamp: String(nowS() - 301 - rng.int(86_400 * 30)) }),
    'future-timestamp': (id: number, rng: Rng) =>
      signed(genuine(id), {
        timestamp: String(rng.int(2) ? nowS() + FUTURE_S + rng.int(3600) : 999_999_999_999),
      }),
    'malformed-timestamp': (id: number, rng: Rng) =>
      signed(genuine(id), { timestamp: rng.pick(['abc', '-5', '1e9', `${nowS()}000`, `${nowS()}.0`]) }),
    'nonce-reuse-other-body': (id: number) => ({
      ...signed(genuine(id)),
      body: Buffer.from(genuine(id + 500_000)),
    }),
    'wrong-token': (id: number, rng: Rng) =>
      signed(
        wrap(
          seal(
            JSON.stringify(
              event(id, (e) =>
                Object.assign(e.header, { token: wrongSecret(rng, FEISHU_ENV.FEISHU_VERIFICATION_TOKEN) }),
              ),
            ),
          ),
        ),
      ),
    'missing-token': (id: number) =>
      signed(wrap(seal(JSON.stringify(event(id, (e) => Object.assign(e.header, { token: undefined })))))),
    'wrong-app-id': (id: number, rng: Rng) =>
      signed(
        wrap(
          seal(
            JSON.stringify(
              event(id, (e) =>
                Object.assign(e.header, { app_id: wrongSecret(rng, FEISHU_ENV.FEISHU_APP_ID) }),
              ),
            ),
          ),
        ),
      ),
    'missing-event-id': (id: number) =>
      signed(wrap(seal(JSON.stringify(event(id, (e) => Object.assign(e.header, { event_id: undefined })))))),
    'wrong-aes-key': (id: number, rng: Rng) =>
      signed(wrap(seal(JSON.stringify(event(id)), wrongSecret(rng, FEISHU_ENV.FEISHU_ENCRYPT_KEY)))),
    'bad-padding': (id: number, rng: Rng) => signed(wrap(badFeishuCipher(rng, JSON.stringify(event(id))))),
    'truncated-base64': (id: number, rng: Rng) => {
      const c = seal(JSON.stringify(event(id)));
      return signed(wrap(c.slice(0, 1 + rng.int(c.length - 2))));
    },
    'encrypted-not-json': (_: number, rng: Rng) =>
      signed(wrap(seal(rng.pick(['', 'hello', '{"header":', '\u0000'])))),
    unencrypted: (id: number) => signed(JSON.stringify(event(id))),
    'duplicate-json-keys': (id: number, rng: Rng) => {
      const good = genuine(id);
      const dup = `{"encrypt": "${seal(JSON.stringify(event(id)))}", "encrypt": "AAAA"}`;
      return rng.int(2) ? signed(dup) : { ...signed(good), body: Buffer.from(dup) };
    },
    'not-an-object': (_: number, rng: Rng) => signed(rng.pick(['null', '"x"', '1', '[]', 'true', '{', ''])),
    'forged-url-verification': (_: number, rng: Rng) =>
      request(
        '/webhooks/feishu',
        { 'content-type': 'application/json' },
        JSON.stringify({
          challenge: 'c',
          type: 'url_verification',
          ...(rng.int(2) ? { token: wrongSecret(rng, FEISHU_ENV.FEISHU_VERIFICATION_TOKEN) } : {}),
        }),
      ),
    'non-utf8': (id: number, rng: Rng) => {
      const r = signed(genuine(id));
      return { ...r, body: nonUtf8(rng, r.body) };
    },
    'other-method': (id: number, rng: Rng) => signed(genuine(id), {}, rng.pick(OTHER_METHODS)),
    'get-method': () => ({ ...signed(''), method: 'GET' }),
    oversize: (id: number, rng: Rng) => ({ ...signed(genuine(id)), body: oversize(rng) }),
  };
  return corpus('feishu', kinds, (n) => signed(genuine(n)), 1_000_000);
}

function badFeishuCipher(rng: Rng, text: string): string {
  const key = createHash('sha256').update(FEISHU_ENV.FEISHU_ENCRYPT_KEY).digest();
  const plain = Buffer.from(text);
  const pad = 16 - (plain.length % 16);
  const last = rng.pick([0, 17, 255, pad + 1 > 16 ? 0 : pad + 1]);
  const padded = Buffer.concat([plain, Buffer.alloc(pad - 1, pad), Buffer.from([last])]);
  const iv = Buffer.alloc(16, 9);
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(padded), cipher.final()]).toString('base64');
}

/** The web channel: loopback Host and Origin, the page's secret, a playground post. */
export function webCorpus(ctx: CorpusContext): PlatformCorpus {
  const HEADER = 'x-liaison-playground-secret';
  const post = (id: number) =>
    JSON.stringify({
      type: 'message',
      id: `forgery${String(id).padStart(8, '0')}`,
      chat: { id: 'customer-forgery', kind: 'private', title: 'Forgery' },
      from: { id: 'customer-forgery', name: 'Forgery', language: 'en', side: 'customer' },
      text: `hello ${id}`,
    });
  const signed = (body: string | Buffer, headers: Record<string, string | null> = {}, method = 'POST') => {
    const all: Record<string, string | null> = {
      'content-type': 'application/json',
      [HEADER]: ctx.webSecret,
      ...headers,
    };
    const kept = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
    return request('/webhooks/web', kept, body, method);
  };
  const badPosts = (id: number) => {
    const p = JSON.parse(post(id));
    return [
      { ...p, text: '' },
      { ...p, text: 'x'.repeat(4001) },
      { ...p, id: 'short' },
      { ...p, type: 'delete' },
      { ...p, chat: { ...p.chat, kind: 'channel' } },
      { ...p, from: { ...p.from, side: 'admin' } },
      { ...p, from: { ...p.from, id: '../../etc' } },
      { ...p, from: undefined },
    ];
  };
  const kinds = {
    'missing-secret': (id: number) => signed(post(id), { [HEADER]: null }),
    'empty-secret': (id: number) => signed(post(id), { [HEADER]: '' }),
    'wrong-secret': (id: number, rng: Rng) => signed(post(id), { [HEADER]: wrongSecret(rng, ctx.webSecret) }),
    'foreign-host': (id: number, rng: Rng) =>
      signed(post(id), {
        host: rng.pick(['attacker.example', '127.0.0.1.nip.io', 'localhost.attacker.example', '10.0.0.1:80']),
      }),
    'foreign-origin': (id: number, rng: Rng) =>
      signed(post(id), {
        origin: rng.pick(['https://attacker.example', 'null', 'file://', 'http://127.0.0.1.evil.example']),
      }),
    'tampered-body-wrong-secret': (id: number, rng: Rng) =>
      signed(tamper(rng, post(id)), { [HEADER]: rng.pick([null, wrongSecret(rng, ctx.webSecret)]) }),
    'truncated-json': (id: number, rng: Rng) => {
      const body = post(id);
      return signed(body.slice(0, rng.int(body.length - 1)));
    },
    'not-a-post': (id: number, rng: Rng) => signed(JSON.stringify(rng.pick(badPosts(id)))),
    'non-utf8-structure': (id: number, rng: Rng) =>
      signed(nonUtf8(rng, Buffer.from(post(id)).subarray(1), 0)),
    'other-method': (id: number, rng: Rng) => signed(post(id), {}, rng.pick(OTHER_METHODS)),
    oversize: (_: number, rng: Rng) => signed(oversize(rng)),
  };
  return corpus('web', kinds, (n) => signed(post(n)), 1_000_000);
}

type Generator = (id: number, rng: Rng) => RawRequest;

/** Forgery n is kind n mod k, built on a genuine request whose id (offset + n) no replay ever uses. */
export function corpus(
  platform: PlatformCorpus['platform'],
  generators: Record<string, Generator>,
  valid: (n: number) => RawRequest,
  offset: number,
): PlatformCorpus {
  const kinds = Object.keys(generators);
  return {
    platform,
    kinds,
    valid,
    forge(rng, n) {
      const kind = kinds[n % kinds.length] as string;
      const request = (generators[kind] as Generator)(offset + n, rng);
      // Content-Type is no platform's proof: vary it on every forgery rather than make it a kind of its own.
      if (rng.int(3) === 0 && request.method !== 'GET')
        request.headers['content-type'] = rng.pick(CONTENT_TYPES);
      if (kind === 'oversize') request.chunked = rng.int(2) === 0;
      return { kind, request };
    },
  };
}

export interface Answer {
  status: number;
  body: string;
}

/** Sends exactly these bytes and headers over HTTP/1.1 (fetch would normalise Host, methods and bodies). */
export function sendRaw(base: URL, r: RawRequest, agent: Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...r.headers, ...(r.chunked ? {} : { 'content-length': String(r.body.length) }) };
    const req = httpRequest(
      { host: base.hostname, port: base.port, method: r.method, path: r.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

export interface CorpusRun {
  platform: string;
  forged: number;
  /** Status codes seen, per mutation kind. */
  byKind: Record<string, Record<string, number>>;
  /** Forgeries answered with anything but a 4xx, or whose answer echoed a secret. */
  failures: Array<{ kind: string; status: number; echoedSecret: boolean; path: string }>;
  /** Statuses of the genuine requests, each sent twice. */
  replayStatuses: Record<string, number>;
  replays: number;
  ms: number;
}

/** Sends `count` forgeries (seeded) and then `replays` genuine requests twice each; counts what came back. */
export async function runCorpus(
  baseUrl: string,
  corpus: PlatformCorpus,
  o: { count: number; seed: number; replays: number; secrets: string[]; concurrency?: number },
): Promise<CorpusRun> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency ?? 4 });
  const rng = seededRng(o.seed);
  const run: CorpusRun = {
    platform: corpus.platform,
    forged: 0,
    byKind: {},
    failures: [],
    replayStatuses: {},
    replays: o.replays,
    ms: 0,
  };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < o.count) {
      // Built just before it is sent, so a timestamp just outside the window has not drifted into it.
      const { kind, request } = corpus.forge(rng, next++);
      // An oversized body ends with the server closing the connection: keep it off the shared sockets.
      const answer = await sendRaw(base, request, request.body.length > 1024 * 1024 ? false : agent);
      run.byKind[kind] ??= {};
      const seen = run.byKind[kind];
      seen[answer.status] = (seen[answer.status] ?? 0) + 1;
      run.forged++;
      const echoedSecret = o.secrets.some((s) => s && answer.body.includes(s));
      if (answer.status < 400 || answer.status > 499 || echoedSecret) {
        run.failures.push({ kind, status: answer.status, echoedSecret, path: request.path });
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 4 }, worker));
  for (let n = 0; n < o.replays; n++) {
    const genuine = corpus.valid(n);
    for (const _ of [1, 2]) {
      const { status } = await sendRaw(base, genuine, agent);
      run.replayStatuses[status] = (run.replayStatuses[status] ?? 0) + 1;
    }
  }
  run.ms = performance.now() - started;
  agent.destroy();
  return run;
}
