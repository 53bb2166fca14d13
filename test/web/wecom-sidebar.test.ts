import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsApiSignature } from '../../adapters/wecom/sign-in.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV } from '../helpers/harness.ts';
import { installSignIn } from './fake-wecom-sign-in.ts';
import { PUBLIC_URL, WEB_ENV, WECOM_MEMBER, WebClient } from './web-client.ts';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('the WeCom JS-SDK signature', () => {
  it('matches WeCom’s published vector (document 90506) and node:crypto on our own', async () => {
    const ticket = 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg';
    const url = 'http://mp.weixin.qq.com?params=value';
    expect(await jsApiSignature(ticket, 'Wm3WZYTPz0wzccnW', 1414587457, url)).toBe(
      '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
    );
    const own = `${PUBLIC_URL}/app/wecom?entry=single_chat_tools&名=张三`;
    expect(await jsApiSignature('t-1', 'abc', 1772417700, own)).toBe(
      sha1(`jsapi_ticket=t-1&noncestr=abc&timestamp=1772417700&url=${own}`),
    );
  });
});

describe.each(serverDialectsUnderTest())('signing in from the WeCom chat sidebar on $name', (dialect) => {
  let h: Harness;
  let codes: ReturnType<typeof installSignIn>['codes'];
  let tickets: string[];
  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, wecom: true, env: WEB_ENV });
    ({ codes, tickets } = installSignIn(h.wecom));
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const signedIn = async () => {
    const web = new WebClient(h);
    codes.set('code-zhangsan', { userid: WECOM_MEMBER });
    expect((await web.request('/app/sign-in/wecom', { json: { proof: 'code-zhangsan' } })).status).toBe(200);
    return web;
  };

  it('turns the OAuth code into the member, and the member into their staff session', async () => {
    const web = await signedIn();
    const call = h.wecom.callsTo('/cgi-bin/auth/getuserinfo').at(-1);
    expect(call?.query.code).toBe('code-zhangsan');
    expect(call?.secret).toBe(WECOM_ENV.WECOM_AGENT_SECRET);
    expect((await web.me()).body).toMatchObject({ host: 'wecom', staff: { role: 'admin' } });
    // The page loads top-level in WeCom's webview: a Lax cookie, and no other site may frame it.
    expect(web.setCookies.find((c) => c.startsWith('__Host-liaison_session='))).toMatch(/SameSite=Lax/i);
  });

  it('refuses a used or unknown code, a WeChat user, and a member who is not staff', async () => {
    const web = new WebClient(h);
    const post = (proof: string) => web.request('/app/sign-in/wecom', { json: { proof } });
    codes.set('once', { userid: WECOM_MEMBER });
    expect((await post('once')).status).toBe(200);
    expect((await post('once')).status).toBe(401);
    codes.set('wechat-user', { openid: 'oAAAA-wechat' });
    expect((await post('wechat-user')).status).toBe(401);
    codes.set('lisi', { userid: 'lisi' });
    expect((await post('lisi')).status).toBe(403);
  });

  it('signs the page for ww.register, fetching each ticket once for many signatures', async () => {
    const web = await signedIn();
    const before = {
      corp: h.wecom.callsTo('/cgi-bin/get_jsapi_ticket').length,
      agent: h.wecom.callsTo('/cgi-bin/ticket/get').length,
    };
    const page = `${PUBLIC_URL}/app/wecom?entry=single_chat_tools`;
    for (let i = 0; i < 5; i++) {
      for (const kind of ['corp', 'agent'] as const) {
        const res = await web.request('/app/page-signature/wecom', {
          json: { kind, url: `${page}#/customer/${i}` },
        });
        expect(res.status).toBe(200);
        const s = (await res.json()) as Record<string, string | number>;
        expect(s.appId).toBe(WECOM_ENV.WECOM_CORP_ID);
        expect(s.agentId).toBe(kind === 'agent' ? WECOM_ENV.WECOM_AGENT_ID : undefined);
        expect(Math.abs(Number(s.timestamp) - h.clock.now() / 1000)).toBeLessThan(5);
        const ticket = tickets.findLast((t) => t.startsWith(`${kind}-`));
        // Signed over the page without its fragment, with the latest ticket of its kind.
        const expected = sha1(
          `jsapi_ticket=${ticket}&noncestr=${s.nonceStr}&timestamp=${s.timestamp}&url=${page}`,
        );
        expect(s.signature).toBe(expected);
      }
    }
    expect(h.wecom.callsTo('/cgi-bin/get_jsapi_ticket').length - before.corp).toBe(1);
    expect(h.wecom.callsTo('/cgi-bin/ticket/get').length - before.agent).toBe(1);
    expect(h.wecom.callsTo('/cgi-bin/ticket/get').at(-1)?.query.type).toBe('agent_config');
    expect(h.wecom.callsTo('/cgi-bin/ticket/get').at(-1)?.secret).toBe(WECOM_ENV.WECOM_AGENT_SECRET);
  });

  it('fetches a ticket again only once it nears its expiry', async () => {
    const web = await signedIn();
    const sign = () =>
      web.request('/app/page-signature/wecom', { json: { kind: 'corp', url: `${PUBLIC_URL}/app/` } });
    const fetches = () => h.wecom.callsTo('/cgi-bin/get_jsapi_ticket').length;
    // Past any ticket an earlier test left cached: this one is fetched now.
    h.clock.advance(7200_000);
    expect((await sign()).status).toBe(200);
    const fetched = fetches();
    h.clock.advance(7200_000 - 6 * 60_000);
    expect((await sign()).status).toBe(200);
    expect(fetches()).toBe(fetched);
    // Renewed five minutes before WeCom's 7200 s run out.
    h.clock.advance(2 * 60_000);
    expect((await sign()).status).toBe(200);
    expect(fetches()).toBe(fetched + 1);
  });

  it('signs only the app’s own pages, only for a session, only with its CSRF token', async () => {
    const web = await signedIn();
    const sign = (url: string, csrf?: string | null) =>
      web.request('/app/page-signature/wecom', {
        json: { kind: 'corp', url },
        ...(csrf === undefined ? {} : { csrf }),
      });
    expect((await sign('https://evil.example/app/')).status).toBe(400);
    expect((await sign(`${PUBLIC_URL}/api/customers`)).status).toBe(400);
    expect((await sign(`https://user:pw@crm.example.test/app/`)).status).toBe(400);
    expect((await sign(`${PUBLIC_URL}/app/`, null)).status).toBe(403);
    const stranger = new WebClient(h);
    const res = await stranger.request('/app/page-signature/wecom', {
      json: { kind: 'corp', url: `${PUBLIC_URL}/app/` },
    });
    expect(res.status).toBe(401);
  });
});
