import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FEISHU_ENV, FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { FEISHU_ZHANG_SAN, WEB_ENV, WebClient } from './web-client.ts';

const LI_SI = 'ou_b570a463a65682bc6f5aa7ca630b4d73';

describe.each(serverDialectsUnderTest())('signing in from the Feishu web app on $name', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, feishu: true, env: WEB_ENV });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  const signIn = (web: WebClient, proof: string) => web.request('/app/sign-in/feishu', { json: { proof } });

  it('exchanges the client’s code for the user, and the user for their staff session, learning their name', async () => {
    h.feishu.authCodes.set('code-zs', FEISHU_ZHANG_SAN);
    const web = new WebClient(h);
    expect((await signIn(web, 'code-zs')).status).toBe(200);
    const exchange = h.feishu.callsTo('POST', '/open-apis/authen/v2/oauth/token').at(-1);
    expect(exchange?.body).toMatchObject({
      grant_type: 'authorization_code',
      client_id: FEISHU_ENV.FEISHU_APP_ID,
      client_secret: FEISHU_ENV.FEISHU_APP_SECRET,
      code: 'code-zs',
    });
    const info = h.feishu.callsTo('GET', '/open-apis/authen/v1/user_info').at(-1);
    expect(info?.headers.authorization).toBe('Bearer u-1');
    expect((await web.me()).body).toMatchObject({ host: 'feishu', staff: { name: '张三', role: 'admin' } });
  });

  it('refuses a code used twice or never issued, and a user who is not staff', async () => {
    h.feishu.authCodes.set('code-once', FEISHU_ZHANG_SAN);
    const web = new WebClient(h);
    expect((await signIn(web, 'code-once')).status).toBe(200);
    expect((await signIn(new WebClient(h), 'code-once')).status).toBe(401);
    expect((await signIn(new WebClient(h), 'made-up')).status).toBe(401);
    h.feishu.authCodes.set('code-ls', LI_SI);
    expect((await signIn(new WebClient(h), 'code-ls')).status).toBe(403);
  });

  it('says the platform could not be asked when Feishu fails, and signs nobody in', async () => {
    h.feishu.authCodes.set('code-down', FEISHU_ZHANG_SAN);
    h.feishu.script('POST', '/open-apis/authen/v2/oauth/token', {
      status: 503,
      body: { code: 1, msg: 'busy' },
    });
    const web = new WebClient(h);
    expect((await signIn(web, 'code-down')).status).toBe(502);
    expect((await web.me()).status).toBe(401);
    expect(h.logs.map((l) => JSON.stringify(l))).not.toContainEqual(
      expect.stringContaining(FEISHU_ENV.FEISHU_APP_SECRET),
    );
  });
});
