import { createHmac } from 'node:crypto';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { ADMIN_IDS, type Harness } from '../helpers/harness.ts';

// Drives the web app like a browser page would: a cookie jar, the app's Origin on writes, the CSRF token echoed.

/** Where the tests say the app is served; the server is reached on loopback whatever PUBLIC_URL names. */
export const PUBLIC_URL = 'https://crm.example.test';
/** The fixtures' WeCom member 张三 and Feishu user 张三 (open_id), staff besides the Telegram admins. */
export const WECOM_MEMBER = 'zhangsan';
export const FEISHU_ZHANG_SAN = 'ou_0028f3516910a0480e104e37b7b65e71';
export const WEB_ENV = {
  PUBLIC_URL,
  ADMIN_IDS: `${ADMIN_IDS},wecom:${WECOM_MEMBER},feishu:${FEISHU_ZHANG_SAN}`,
};

export class WebClient {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie line received, as sent. */
  readonly setCookies: string[] = [];
  constructor(
    private readonly h: Harness,
    private readonly origin: string | null = PUBLIC_URL,
  ) {}

  get csrf(): string {
    return [...this.cookies].find(([name]) => name.endsWith('liaison_csrf'))?.[1] ?? '';
  }

  async request(
    path: string,
    init: { method?: string; json?: unknown; form?: Record<string, string>; csrf?: string | null } = {},
  ): Promise<Response> {
    const method = init.method ?? (init.json !== undefined || init.form ? 'POST' : 'GET');
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.origin) headers.origin = this.origin;
    const csrf = init.csrf === undefined ? this.csrf : init.csrf;
    if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(`${this.h.url}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body ? { body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (value === '' || /max-age=0\b/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async me(): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await this.request('/app/me');
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
}

/**
 * A Mini App `initData` signed as Telegram signs it (core.telegram.org/bots/webapps), computed here with node:crypto,
 * apart from the app's Web Crypto code: secret = HMAC_SHA256(key "WebAppData", bot token); hash = hex HMAC_SHA256(key
 * secret, the fields but `hash` as sorted key=value lines).
 */
export function signInitData(fields: Array<[string, string]>, botToken: string): string {
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const check = fields
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams([...fields, ['hash', hash]]).toString();
}

/**
 * A browser-like client signed in through `/web` in a Telegram chat with the bot (one-time link); `language` is the
 * Telegram client's, which the staff member's language follows.
 */
export async function signInByLink(h: Harness, telegramId: string, language = 'zh-hans'): Promise<WebClient> {
  const reply = await telegramDriver(h).ask(telegramId, '/web', language);
  const token = new URL(/https?:\/\/\S+/.exec(reply)?.[0] ?? 'https://x.invalid').searchParams.get('t') ?? '';
  const web = new WebClient(h);
  const res = await web.request('/app/sign-in/link', { form: { token } });
  if (res.status !== 303) throw new Error(`sign-in by link answered ${res.status}`);
  return web;
}
