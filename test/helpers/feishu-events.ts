import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FEISHU_ENV } from './harness.ts';

export const feishuFile = <T = unknown>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/feishu/${name}`, import.meta.url), 'utf8')) as T;

/** Encrypts an event as Feishu does: base64(IV ‖ AES-256-CBC(JSON)) with key sha256(Encrypt Key). */
export function encryptFeishu(event: unknown): string {
  const key = createHash('sha256').update(FEISHU_ENV.FEISHU_ENCRYPT_KEY).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(JSON.stringify(event), 'utf8'), cipher.final()]).toString('base64');
}

export interface FeishuPostOptions {
  timestampS?: number;
  nonce?: string;
  /** Sign with another key than the configured Encrypt Key. */
  signKey?: string;
  /** Leave the signature headers out. */
  unsigned?: boolean;
  /** Send the event in clear (an Encrypt Key is configured, so this must be refused). */
  plain?: boolean;
}

/** Posts an event to the app as Feishu would: encrypted, the body not compact, signed over the exact bytes. */
export function postFeishu(
  h: { url: string; clock: { now(): number } },
  event: unknown,
  o: FeishuPostOptions = {},
) {
  const body = o.plain ? JSON.stringify(event) : `{"encrypt": "${encryptFeishu(event)}"}`;
  const timestamp = String(o.timestampS ?? Math.floor(h.clock.now() / 1000));
  const nonce = o.nonce ?? randomBytes(8).toString('hex');
  const signature = createHash('sha256')
    .update(timestamp + nonce + (o.signKey ?? FEISHU_ENV.FEISHU_ENCRYPT_KEY) + body)
    .digest('hex');
  return fetch(`${h.url}/webhooks/feishu`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(o.unsigned
        ? {}
        : {
            'x-lark-request-timestamp': timestamp,
            'x-lark-request-nonce': nonce,
            'x-lark-signature': signature,
          }),
    },
    body,
  });
}

type Event = { header: { event_id: string; create_time: string }; event: Record<string, unknown> };

/** A copy of a fixture event with a new id (and whatever else the test changes). */
export function feishuEvent(name: string, id: string, change: (e: Event) => void = () => {}): Event {
  const e = feishuFile<Event>(name);
  e.header.event_id = id;
  change(e);
  return e;
}
