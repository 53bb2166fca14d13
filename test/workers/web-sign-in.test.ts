import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import worker from '../../src/entry/worker.ts';
import telegramConfig from '../fixtures/telegram/config.json';

// The web app's sign-in inside workerd: the Mini App check runs on Web Crypto there, sessions live in D1.
const ORIGIN = 'https://liaison.test';
/** ADMIN_IDS of vitest.workers.config.ts. */
const ADMIN = 5000000001;

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(`${ORIGIN}${path}`, init);
  const response = await worker.fetch(request, { ...env, PUBLIC_URL: ORIGIN }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** initData signed as Telegram does, with node:crypto (nodejs_compat), apart from the Worker's Web Crypto check. */
function initData(userId: number, authDate: number): string {
  const fields: Array<[string, string]> = [
    ['user', JSON.stringify({ id: userId, first_name: 'Admin' })],
    ['auth_date', String(authDate)],
  ];
  const secret = createHmac('sha256', 'WebAppData').update(telegramConfig.botToken).digest();
  const check = fields
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams([...fields, ['hash', hash]]).toString();
}

const signIn = (proof: string) =>
  call('/app/sign-in/telegram', {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ proof }),
  });

describe('signing in to the web app on the Worker', () => {
  it('checks Mini App initData with Web Crypto and keeps the session in D1', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await signIn(initData(ADMIN, now));
    expect(res.status).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const me = await call('/app/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ host: 'telegram', staff: { role: 'admin' } });
  });

  it('refuses forged and stale initData', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = initData(ADMIN, now).replace(String(ADMIN), '5000000002');
    expect((await signIn(forged)).status).toBe(401);
    expect((await signIn(initData(ADMIN, now - 2 * 86_400))).status).toBe(401);
  });
});
