import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramDriver, telegramSentTo } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { PUBLIC_URL, WEB_ENV, WebClient } from './web-client.ts';

const ZHANG_SAN = '5123456789';

describe.each(serverDialectsUnderTest())('signing in a browser with a one-time link on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  /** Asks for a link in the private chat; returns its token. */
  const askLink = async (word = '/web') => {
    const reply = await telegramDriver(h).ask(ZHANG_SAN, word);
    const url = /https:\/\/\S+/.exec(reply)?.[0] ?? '';
    expect(url.startsWith(`${PUBLIC_URL}/app/link?t=`)).toBe(true);
    return new URL(url).searchParams.get('t') ?? '';
  };

  it('answers /web and 网页 with a link whose token is stored only hashed', async () => {
    const token = await askLink();
    expect(await askLink('/网页')).not.toBe(token);
    const rows = await h.db.selectFrom('web_sign_in_links').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    expect(rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('signs in once: opening the link only asks, the button signs in, a replay is refused', async () => {
    const token = await askLink();
    const web = new WebClient(h);
    // A chat's link preview opens it too: that signs nobody in and uses nothing.
    for (let i = 0; i < 2; i++) {
      const page = await web.request(`/app/link?t=${token}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<form method="post" action="/app/sign-in/link">');
      expect(html).not.toContain('<script');
    }
    const signIn = await web.request('/app/sign-in/link', { form: { token } });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/app');
    expect((await web.me()).body).toMatchObject({ host: 'link', staff: { role: 'admin' } });
    expect((await web.request('/app')).status).toBe(200);
    expect((await new WebClient(h).request('/app')).status).toBe(401);

    const replay = new WebClient(h);
    expect((await replay.request('/app/sign-in/link', { form: { token } })).status).toBe(410);
    expect((await replay.me()).status).toBe(401);
    expect((await replay.request(`/app/link?t=${token}`)).status).toBe(410);
  });

  it('refuses a link after its ten minutes', async () => {
    const token = await askLink();
    h.clock.advance(10 * 60_000 + 1_000);
    const web = new WebClient(h);
    expect((await web.request('/app/sign-in/link', { form: { token } })).status).toBe(410);
    expect((await web.me()).status).toBe(401);
  });

  it('refuses a link posted from another site (login CSRF), and leaves it usable', async () => {
    const token = await askLink();
    const evil = new WebClient(h, 'https://evil.example');
    expect((await evil.request('/app/sign-in/link', { form: { token } })).status).toBe(403);
    expect((await new WebClient(h).request('/app/sign-in/link', { form: { token } })).status).toBe(303);
  });

  it('gives no link in a group, where others would read it', async () => {
    const before = await h.db.selectFrom('web_sign_in_links').select('token_hash').execute();
    const res = await h.postUpdate({
      update_id: 990_001,
      message: {
        message_id: 990_001,
        date: Math.floor(h.clock.now() / 1000),
        chat: { id: -1001234567890, type: 'supergroup', title: '销售群' },
        from: { id: Number(ZHANG_SAN), is_bot: false, first_name: '张三', language_code: 'zh-hans' },
        text: '/web',
        entities: [{ type: 'bot_command', offset: 0, length: 4 }],
      },
    });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => telegramSentTo(h, -1001234567890)[0]);
    expect(answer).not.toContain(PUBLIC_URL);
    const after = await h.db.selectFrom('web_sign_in_links').select('token_hash').execute();
    expect(after.length).toBe(before.length);
  });

  it('serves the sign-in pages with the security headers and a Lax, HttpOnly, Secure session cookie', async () => {
    const token = await askLink();
    const web = new WebClient(h);
    const page = await web.request(`/app/link?t=${token}`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    await web.request('/app/sign-in/link', { form: { token } });
    const cookie = web.setCookies.find((c) => c.startsWith('__Host-liaison_session=')) ?? '';
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
  });
});
