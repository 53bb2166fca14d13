import type { WebIdentity, WebSignIn } from '../../src/core/ports/adapter.ts';

// Telegram Mini App sign-in: `initData` checked on the server with Web Crypto (Node and Workers alike), as
// core.telegram.org/bots/webapps "Validating data received via the Mini App" describes.

/** A client clock this far ahead of ours still counts (auth_date is the Telegram server's time). */
const FUTURE_SKEW_MS = 60_000;
const enc = new TextEncoder();

/**
 * Mini Apps in Telegram Web (web.telegram.org/a and /k) run in an iframe; the apps (Android, iOS, Desktop) open them in
 * their own webview, top-level.
 */
const TELEGRAM_WEB = ['https://web.telegram.org'] as const;

/** The Mini App sign-in of the bot with this token. */
export function telegramSignIn(botToken: string): WebSignIn {
  // secret_key = HMAC-SHA256(key = "WebAppData", message = bot token): the constant is the key.
  const secretKey = hmacKey(enc.encode('WebAppData')).then(async (k) =>
    hmacKey(new Uint8Array(await crypto.subtle.sign('HMAC', k, enc.encode(botToken)))),
  );
  return {
    framedBy: TELEGRAM_WEB,
    async identify(proof, at) {
      const fields = initDataFields(proof);
      if (!fields) return null;
      const hash = fields.get('hash');
      if (!hash || !/^[0-9a-f]{64}$/.test(hash)) return null;
      // Every field but `hash` (`signature` stays in), as key=value lines sorted by key.
      const check = [...fields]
        .filter(([k]) => k !== 'hash')
        .map(([k, v]) => `${k}=${v}`)
        .sort()
        .join('\n');
      // subtle.verify compares in constant time.
      const genuine = await crypto.subtle.verify('HMAC', await secretKey, hexBytes(hash), enc.encode(check));
      if (!genuine) return null;
      const authDate = Number(fields.get('auth_date'));
      if (!Number.isSafeInteger(authDate) || authDate <= 0) return null;
      const age = at.now - authDate * 1000;
      if (age > at.maxAgeMs || age < -FUTURE_SKEW_MS) return null;
      return userOf(fields.get('user'));
    },
  };
}

/** The fields of an `initData` query string, or null when one repeats (which one would the HMAC have covered?). */
function initDataFields(initData: string): Map<string, string> | null {
  if (initData.length === 0 || initData.length > 8192) return null;
  const fields = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(initData)) {
    if (fields.has(key)) return null;
    fields.set(key, value);
  }
  return fields;
}

/** The user the (authentic) `user` field names; null without one (keyboard-button launches carry no user). */
function userOf(raw: string | undefined): WebIdentity | null {
  if (!raw) return null;
  let user: unknown;
  try {
    user = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof user !== 'object' || user === null) return null;
  const u = user as { id?: unknown; first_name?: unknown; last_name?: unknown; language_code?: unknown };
  if (typeof u.id !== 'number' || !Number.isSafeInteger(u.id) || u.id <= 0) return null;
  const name = [u.first_name, u.last_name]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .join(' ');
  return {
    externalId: String(u.id),
    ...(name ? { displayName: name } : {}),
    ...(typeof u.language_code === 'string' ? { language: u.language_code } : {}),
  };
}

function hmacKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
