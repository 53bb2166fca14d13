import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { BOT_TOKEN, FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { PUBLIC_URL, signInitData, WEB_ENV, WebClient } from './web-client.ts';

const NOW_S = FIXTURE_TIME / 1000;
const ZHANG_SAN = { id: 5123456789, first_name: '张三', language_code: 'zh-hans' };

/**
 * A recorded vector: initData for 张三 at the fixtures' moment, its hash computed once with node:crypto following
 * core.telegram.org/bots/webapps (secret = HMAC_SHA256("WebAppData" as key, bot token); hash over the sorted fields
 * but `hash`, `signature` included) and written down here.
 */
const RECORDED_INIT_DATA =
  'query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A5123456789%2C%22first_name%22%3A%22%E5%BC%A0%E4%B8%89%22%2C%22language_code%22%3A%22zh-hans%22%7D&auth_date=1772417700&signature=SIGNATUREvalueBase64urlForEd25519xyz';
const RECORDED_HASH = 'b73c13557f373fe7cb450484e495484480777b86063998bfe631a62864d4ded5';

const initData = (
  o: { user?: object; authDate?: number; token?: string; extra?: Array<[string, string]> } = {},
) =>
  signInitData(
    [
      ['user', JSON.stringify(o.user ?? ZHANG_SAN)],
      ['auth_date', String(o.authDate ?? NOW_S)],
      ...(o.extra ?? []),
    ],
    o.token ?? BOT_TOKEN,
  );

describe.each(serverDialectsUnderTest())('signing in from the Telegram Mini App on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const signIn = (proof: string, web = new WebClient(h)) =>
    web.request('/app/sign-in/telegram', { json: { proof } });

  it('signs in with the recorded vector and answers who is signed in', async () => {
    expect(new URLSearchParams(`${RECORDED_INIT_DATA}&hash=${RECORDED_HASH}`).get('hash')).toBe(
      RECORDED_HASH,
    );
    const web = new WebClient(h);
    const res = await signIn(`${RECORDED_INIT_DATA}&hash=${RECORDED_HASH}`, web);
    expect(res.status).toBe(200);
    const me = await web.me();
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      staff: { name: '张三', role: 'admin', language: 'zh' },
      host: 'telegram',
    });
    expect(me.body.csrfToken).toBe(web.csrf);
  });

  it('computes the same hash as the documented algorithm does with node:crypto', async () => {
    const fields = [...new URLSearchParams(RECORDED_INIT_DATA)] as Array<[string, string]>;
    expect(new URLSearchParams(signInitData(fields, BOT_TOKEN)).get('hash')).toBe(RECORDED_HASH);
  });

  it('refuses forged initData: a changed field, another bot’s key, a missing or malformed hash', async () => {
    const tampered = `${RECORDED_INIT_DATA.replace('5123456789', '5234567890')}&hash=${RECORDED_HASH}`;
    expect((await signIn(tampered)).status).toBe(401);
    const otherBot = initData({ token: '7099999999:AAFc2cZobEi_KzGY6YNpjFBL2Btszpwqk_Y' });
    expect((await signIn(otherBot)).status).toBe(401);
    expect((await signIn(RECORDED_INIT_DATA)).status).toBe(401);
    expect((await signIn(`${RECORDED_INIT_DATA}&hash=${RECORDED_HASH.toUpperCase()}`)).status).toBe(401);
    // `signature` is covered by the hash: dropping it breaks the check.
    const unsigned = RECORDED_INIT_DATA.replace(/&signature=[^&]*/, '');
    expect((await signIn(`${unsigned}&hash=${RECORDED_HASH}`)).status).toBe(401);
  });

  it('refuses a field given twice, even when one copy is what was signed', async () => {
    const good = initData();
    const twice = `${good}&user=${encodeURIComponent(JSON.stringify({ ...ZHANG_SAN, id: 5234567890 }))}`;
    expect((await signIn(good)).status).toBe(200);
    expect((await signIn(twice)).status).toBe(401);
  });

  it('refuses stale initData (over 24 h by default) and initData from the future, takes it within the window', async () => {
    expect((await signIn(initData({ authDate: NOW_S - 86_400 - 5 }))).status).toBe(401);
    expect((await signIn(initData({ authDate: NOW_S + 600 }))).status).toBe(401);
    expect((await signIn(initData({ authDate: NOW_S - 23 * 3600 }))).status).toBe(200);
  });

  it('refuses a genuine Telegram user who is not staff, and initData without a user', async () => {
    expect((await signIn(initData({ user: { id: 6234567890, first_name: '陈小雨' } }))).status).toBe(403);
    const noUser = signInitData([['auth_date', String(NOW_S)]], BOT_TOKEN);
    expect((await signIn(noUser)).status).toBe(401);
  });

  it('sets the session cookie HttpOnly, Secure, __Host-, and sendable in Telegram Web’s frame', async () => {
    const web = new WebClient(h);
    await signIn(initData(), web);
    const session = web.setCookies.find((c) => c.startsWith('__Host-liaison_session='));
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; SameSite=None/i);
    expect(session).toMatch(/; Partitioned/i);
    expect(web.setCookies.find((c) => c.startsWith('__Host-liaison_csrf='))).not.toMatch(/HttpOnly/i);
  });

  it('answers with a CSP that runs no inline script and lets only Telegram Web frame the page', async () => {
    const res = await new WebClient(h).request('/app/me');
    const csp = res.headers.get('content-security-policy') ?? '';
    const scripts = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scripts.trim()).toBe("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'self' https://web.telegram.org");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses writes from another origin, or naming none', async () => {
    expect((await signIn(initData(), new WebClient(h, 'https://evil.example'))).status).toBe(403);
    expect((await signIn(initData(), new WebClient(h, null))).status).toBe(403);
  });

  it('refuses a sign-out without the CSRF token, then signs out with it', async () => {
    const web = new WebClient(h);
    await signIn(initData(), web);
    expect((await web.request('/app/sign-out', { method: 'POST', csrf: null })).status).toBe(403);
    expect((await web.request('/app/sign-out', { method: 'POST', csrf: 'f'.repeat(64) })).status).toBe(403);
    expect((await web.me()).status).toBe(200);
    expect((await web.request('/app/sign-out', { method: 'POST' })).status).toBe(204);
    expect((await web.me()).status).toBe(401);
  });

  it('ends a session at its expiry (12 h by default)', async () => {
    const web = new WebClient(h);
    await signIn(initData(), web);
    const token = web.cookies.get('__Host-liaison_session') ?? '';
    h.clock.advance(12 * 3_600_000 - 60_000);
    expect((await web.me()).status).toBe(200);
    h.clock.advance(60_000);
    const after = new WebClient(h);
    after.cookies.set('__Host-liaison_session', token);
    expect((await after.me()).status).toBe(401);
    h.clock.advance(-12 * 3_600_000);
  });

  it('has the role the chat gives, changed at once for a session already open', async () => {
    const chat = telegramDriver(h);
    expect(await chat.ask('5123456789', '/staff add telegram:5345678901 rep')).toContain('5345678901');
    const web = new WebClient(h);
    expect((await signIn(initData({ user: { id: 5345678901, first_name: '王五' } }), web)).status).toBe(200);
    expect((await web.me()).body).toMatchObject({ staff: { role: 'rep', name: '王五' } });
    await chat.ask('5123456789', '/staff add telegram:5345678901 manager');
    expect((await web.me()).body).toMatchObject({ staff: { role: 'manager' } });
  });

  it('refuses the session of a staff member who was deactivated', async () => {
    const web = new WebClient(h);
    await signIn(initData({ user: { id: 5234567890, first_name: '李四' } }), web);
    expect((await web.me()).status).toBe(200);
    // No command deactivates staff yet: the admin's change is made in the table, as `liaison` would.
    const staff = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('external_id', '=', '5234567890')
      .executeTakeFirstOrThrow();
    await h.db.updateTable('staff').set({ active: 0 }).where('id', '=', staff.staff_id).execute();
    expect((await web.me()).status).toBe(401);
    await h.db.updateTable('staff').set({ active: 1 }).where('id', '=', staff.staff_id).execute();
  });
});

describe('the web app settings', () => {
  it('reads WEB_SESSION_TTL and TELEGRAM_INIT_DATA_MAX_AGE, and names them when wrong', () => {
    const config = loadConfig({ PUBLIC_URL, WEB_SESSION_TTL: '2', TELEGRAM_INIT_DATA_MAX_AGE: '3600' });
    expect(config.web).toEqual({ sessionTtlMs: 2 * 3_600_000, proofMaxAgeMs: 3_600_000 });
    expect(() => loadConfig({ WEB_SESSION_TTL: 'soon' })).toThrow(ConfigError);
    expect(() => loadConfig({ TELEGRAM_INIT_DATA_MAX_AGE: '0' })).toThrow(/TELEGRAM_INIT_DATA_MAX_AGE/);
  });
});
