import { createDecipheriv, createHash } from 'node:crypto';
import type { WebhookRequest, WebhookVerdict } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import { secretMatcher } from '../../src/lib/safe-equal.ts';
import type { FeishuConfig, FeishuEvent } from './types.ts';

const FRESHNESS_S = 300;

/**
 * Events: the signature over the raw bytes (never re-serialised JSON) with a timestamp window, then decryption,
 * then the Verification Token. The URL check (url_verification) comes unsigned: it is answered only when it
 * decrypts (or is plain) and carries the right token.
 */
export function feishuVerifier(config: FeishuConfig, clock: Clock) {
  const tokenMatches = secretMatcher(config.verificationToken);
  return (request: WebhookRequest): WebhookVerdict => verifyFeishu(request, config, clock, tokenMatches);
}

function verifyFeishu(
  request: WebhookRequest,
  config: FeishuConfig,
  clock: Clock,
  tokenMatches: (given: string) => boolean,
): WebhookVerdict {
  if (request.method !== 'POST') return reject(405, 'Feishu posts events');
  let envelope: { encrypt?: unknown } & FeishuEvent;
  try {
    envelope = JSON.parse(request.body) as typeof envelope;
  } catch {
    return reject(400, 'body is not JSON');
  }
  if (typeof envelope !== 'object' || envelope === null) return reject(400, 'body is not a Feishu event');
  const timestamp = request.headers.get('x-lark-request-timestamp');
  const nonce = request.headers.get('x-lark-request-nonce');
  const signature = request.headers.get('x-lark-signature');
  const signed = timestamp !== null && nonce !== null && signature !== null;
  if (signed) {
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(clock.now() / 1000 - Number(timestamp)) > FRESHNESS_S) {
      return reject(401, 'stale or malformed timestamp');
    }
    if (!secretMatcher(signature)(feishuSignature(timestamp, nonce, config.encryptKey, request.body))) {
      return reject(401, 'bad signature');
    }
  }
  let payload: FeishuEvent;
  let plaintext: string;
  if (typeof envelope.encrypt === 'string') {
    try {
      plaintext = decryptFeishu(config.encryptKey, envelope.encrypt);
      payload = JSON.parse(plaintext) as FeishuEvent;
    } catch {
      return reject(401, 'undecryptable payload');
    }
    if (typeof payload !== 'object' || payload === null)
      return reject(400, 'decrypted body is not a Feishu event');
  } else {
    payload = envelope;
    plaintext = request.body;
  }
  if (payload.type === 'url_verification') {
    if (typeof payload.challenge !== 'string' || !tokenMatches(textOf(payload.token))) {
      return reject(401, 'url_verification with a wrong token');
    }
    return {
      kind: 'respond',
      body: JSON.stringify({ challenge: payload.challenge }),
      contentType: 'application/json',
    };
  }
  // Every event must be signed and encrypted: an Encrypt Key is configured, so anything else is forged.
  if (!signed) return reject(401, 'missing signature headers');
  if (typeof envelope.encrypt !== 'string') return reject(401, 'unencrypted event');
  if (!tokenMatches(textOf(payload.header?.token ?? payload.token)))
    return reject(401, 'wrong verification token');
  // An Encrypt Key and token reused by another app would otherwise let that app's events onto our records.
  if (payload.header?.app_id !== undefined && payload.header.app_id !== config.appId)
    return reject(403, 'event for another app');
  const id = payload.header?.event_id ?? payload.uuid;
  if (typeof id !== 'string' || !id) return reject(400, 'event without an id');
  const isCardAction = payload.header?.event_type === 'card.action.trigger';
  return {
    kind: 'accept',
    deliveries: [{ dedupKey: id, payload: plaintext }],
    body: JSON.stringify(isCardAction ? RECEIVED_TOAST : {}),
    contentType: 'application/json',
  };
}

/** A card click is answered at once; what it does happens after, and the card is then redrawn. */
const RECEIVED_TOAST = {
  toast: { type: 'info', content: '已收到', i18n: { zh_cn: '已收到', en_us: 'Received' } },
};

/** A token as sent; any other type (never Feishu's) is no token at all, not a crash on String(). */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');

const reject = (status: 400 | 401 | 403 | 405, reason: string): WebhookVerdict => ({
  kind: 'reject',
  status,
  reason,
});

/** `encrypt` = base64(IV ‖ AES-256-CBC(JSON)) with key sha256(Encrypt Key). Throws on anything else. */
export function decryptFeishu(encryptKey: string, encrypted: string): string {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new Error('not a Feishu ciphertext');
  const key = createHash('sha256').update(encryptKey).digest();
  const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}

/** X-Lark-Signature: sha256 over timestamp + nonce + Encrypt Key + the body exactly as received. */
export function feishuSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: string,
): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + rawBody)
    .digest('hex');
}
