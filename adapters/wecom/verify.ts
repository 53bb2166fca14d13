import { decrypt, getSignature } from '@wecom/crypto';
import type { WebhookRequest, WebhookVerdict } from '../../src/core/ports/adapter.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import { secretMatcher } from '../../src/lib/safe-equal.ts';
import { parseWecomXml } from './decode.ts';
import type { WecomConfig, WecomXml } from './types.ts';

/** WeCom signs no time window; five minutes either way plus dedup is the replay guard. */
const FRESHNESS_S = 300;

/**
 * The URL check (GET) and encrypted callbacks (POST): signature over the ciphertext first, then freshness, then
 * decryption and the receive id. Query values are read from the raw query string: form decoding turns base64's `+`
 * into a space.
 */
export function verifyWecom(request: WebhookRequest, config: WecomConfig, clock: Clock): WebhookVerdict {
  const query = rawQuery(request.url);
  if (!query) return reject(400, 'malformed query string');
  const { msg_signature: signature, timestamp, nonce } = query;
  if (!signature || !timestamp || !nonce) return reject(400, 'missing msg_signature, timestamp or nonce');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(clock.now() / 1000 - Number(timestamp)) > FRESHNESS_S) {
    return reject(401, 'stale or malformed timestamp');
  }
  const matches = secretMatcher(signature);
  let encrypted: string;
  if (request.method === 'GET') {
    if (!query.echostr) return reject(400, 'missing echostr');
    encrypted = query.echostr;
  } else if (request.method === 'POST') {
    const envelope = parseWecomXml(request.body);
    if (!envelope?.Encrypt) return reject(400, 'body is not a WeCom callback envelope');
    encrypted = envelope.Encrypt;
  } else {
    return reject(405, 'WeCom sends GET and POST');
  }
  if (!matches(getSignature(config.token, timestamp, nonce, encrypted))) return reject(401, 'bad signature');
  let plain: { message: string; id: string };
  try {
    plain = decrypt(config.encodingAesKey, encrypted);
  } catch {
    return reject(401, 'undecryptable payload');
  }
  if (plain.id !== config.corpId) return reject(403, 'receive id is not this corp');
  if (request.method === 'GET')
    return { kind: 'respond', body: plain.message, contentType: 'text/plain; charset=utf-8' };
  const xml = parseWecomXml(plain.message);
  if (!xml) return reject(400, 'decrypted body is not plain WeCom XML');
  return { kind: 'accept', deliveries: [{ dedupKey: dedupKey(xml), payload: plain.message }], body: '' };
}

/** WeCom's own redelivery identity of a callback. */
export function dedupKey(x: WecomXml): string {
  if (x.MsgId) return `msg:${x.MsgId}`;
  switch (x.Event) {
    case 'change_external_contact':
      return `contact:${x.CreateTime}:${x.ChangeType}:${x.UserID}:${x.ExternalUserID}`;
    case 'change_contact':
      return `member:${x.CreateTime}:${x.ChangeType}:${x.UserID ?? ''}`;
    case 'change_external_chat':
      return `group:${x.ChatId}:${x.CreateTime}:${x.ChangeType}:${x.UpdateDetail ?? ''}`;
    case 'change_external_tag':
      return `tag:${x.CreateTime}:${x.ChangeType}:${x.Id ?? ''}:${x.TagType ?? ''}`;
    case 'kf_msg_or_event':
      return `kf:${x.OpenKfId}:${x.Token}`;
    default:
      return `event:${x.FromUserName ?? ''}:${x.CreateTime}:${x.Event ?? x.MsgType}:${x.ChangeType ?? ''}`;
  }
}

function rawQuery(url: string): Record<string, string> | null {
  const q = url.indexOf('?');
  const out: Record<string, string> = {};
  if (q < 0) return out;
  try {
    for (const pair of url.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      out[name] = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    }
  } catch {
    return null;
  }
  return out;
}

const reject = (status: 400 | 401 | 403 | 405, reason: string): WebhookVerdict => ({
  kind: 'reject',
  status,
  reason,
});
