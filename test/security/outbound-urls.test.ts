import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { feishuFixture } from '../helpers/fake-feishu.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const HOUR = 3_600_000;
const bot = feishuFixture('custom-bot-webhook-signed.json') as { hookToken: string; secret: string };

/** What the test resolver answers: allowed hosts that lead somewhere they must not. */
const DNS: Record<string, string[]> = {
  'open.feishu.cn': ['101.126.88.10'],
  'open.larksuite.com': ['::ffff:169.254.169.254'],
  'bots.example.com': ['10.20.30.40'],
  'rebind.example.com': ['8.8.8.8', '169.254.169.254'],
};

/** A server on loopback standing for whatever must never be reached (a metadata service, an admin port). */
class Recorder {
  readonly hits: string[] = [];
  private readonly server: Server = createServer((req, res) => {
    this.hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"code":0,"errcode":0,"AccessKeyId":"secret"}');
  });
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe.each(serverDialectsUnderTest())('robot webhook URLs on $name', (dialect) => {
  let h: Harness;
  let recorder: Recorder;
  beforeEach(async () => {
    recorder = await new Recorder().start();
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      wecom: true,
      feishu: true,
      env: { ROBOT_HOSTS_ALLOW: 'feishu:bots.example.com, feishu:rebind.example.com' },
      resolveHost: async (name) => {
        const answer = DNS[name];
        if (!answer) throw new Error(`ENOTFOUND ${name}`);
        return answer;
      },
    });
  });
  afterEach(async () => {
    await h?.close();
    await recorder?.close();
  });

  const subscribe = (platform: string, ref: string, extra: object = {}) =>
    h.api<{ id?: number; error?: string; field?: string }>('/digests/subscriptions', undefined, {
      method: 'POST',
      body: JSON.stringify({ platform, target: { kind: 'robot', ref, ...extra } }),
    });

  it('refuses robot URLs off the platform hosts or on private addresses at creation, storing nothing', async () => {
    const loop = `127.0.0.1:${recorder.port}`;
    const hook = '/open-apis/bot/v2/hook/8938e499';
    const refused: Array<[platform: string, ref: string, why: RegExp]> = [
      ['feishu', `http://${loop}/latest/meta-data/iam`, /127\.0\.0\.1 is a loopback address/],
      ['feishu', `${h.feishu.domain}/latest/meta-data/iam`, /path must be \/open-apis\/bot\/v2\/hook/],
      ['feishu', `${h.feishu.domain}${hook}/../../../../latest/meta-data`, /path must be/],
      ['feishu', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/', /link-local/],
      ['feishu', `http://[::1]:${recorder.port}${hook}`, /\[::1\] is a loopback address/],
      ['feishu', `http://0x7f000001:${recorder.port}${hook}`, /127\.0\.0\.1 is a loopback address/],
      ['feishu', `http://2130706433:${recorder.port}${hook}`, /127\.0\.0\.1 is a loopback address/],
      ['feishu', `http://localhost:${recorder.port}${hook}`, /localhost is a local name/],
      ['feishu', `https://10.0.0.5${hook}`, /10\.0\.0\.5 is a private address/],
      ['feishu', `https://open.feishu.cn@${loop}${hook}`, /user name or password/],
      ['feishu', `http://open.feishu.cn${hook}`, /over https on the default port/],
      ['feishu', `https://open.feishu.cn.evil.example${hook}`, /not a Feishu\/Lark custom bot host/],
      ['feishu', `https://bots.example.com${hook}`, /resolves to a private address \(10\.20\.30\.40\)/],
      ['feishu', `https://rebind.example.com${hook}`, /resolves to a link-local \(cloud metadata\) address/],
      ['feishu', `https://open.larksuite.com${hook}`, /resolves to an IPv4-mapped address/],
      ['feishu', `https://unknown.example.com${hook}`, /not a Feishu\/Lark custom bot host/],
      ['wecom', `http://${loop}/cgi-bin/webhook/send?key=k1`, /loopback/],
      ['wecom', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1&debug=1', /must be \/cgi-bin/],
      ['wecom', 'ftp://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1', /https URL/],
      ['telegram', `https://api.telegram.org/bot1/sendMessage`, /telegram has no robots/],
    ];
    for (const [platform, ref, why] of refused) {
      const answer = await subscribe(platform, ref);
      expect({ ref, status: answer.status, field: answer.body.field }).toEqual({
        ref,
        status: 400,
        field: 'target.ref',
      });
      expect(answer.body.error, ref).toMatch(why);
    }
    expect(await h.db.selectFrom('digest_subscriptions').select('id').execute()).toEqual([]);

    // The platforms' own hosts on public addresses, and the configured API base (here the fakes), still pass.
    const accepted = [
      await subscribe('feishu', `https://open.feishu.cn${hook}`, { secret: 's' }),
      await subscribe('feishu', `${h.feishu.domain}/open-apis/bot/v2/hook/${bot.hookToken}`),
      await subscribe('wecom', `${h.wecom.apiBase}/cgi-bin/webhook/send?key=robot-key-1`),
      await subscribe('wecom', 'robot-key-2'),
    ];
    expect(accepted.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(recorder.hits).toEqual([]);
  });

  it('refuses a stored bad URL at send time and follows no redirect, reaching nothing on loopback', async () => {
    const created = async (platform: string, ref: string) => {
      const answer = await subscribe(platform, ref);
      expect(answer.status).toBe(201);
      return answer.body.id as number;
    };
    // Accepted when created; then the rows changed (an older version stored them, or the allow-list shrank).
    const metadata = `http://127.0.0.1:${recorder.port}/latest/meta-data/iam`;
    const privateBot = 'https://bots.example.com/open-apis/bot/v2/hook/bbbb';
    const wecomLoop = `http://127.0.0.1:${recorder.port}/cgi-bin/webhook/send?key=cccc`;
    const changes: Array<[number, string]> = [
      [await created('feishu', `${h.feishu.domain}/open-apis/bot/v2/hook/aaaa`), metadata],
      [await created('feishu', `${h.feishu.domain}/open-apis/bot/v2/hook/bbbb`), privateBot],
      [await created('wecom', `${h.wecom.apiBase}/cgi-bin/webhook/send?key=cccc`), wecomLoop],
    ];
    for (const [id, ref] of changes)
      await h.db.updateTable('digest_subscriptions').set({ target_ref: ref }).where('id', '=', id).execute();
    // An allowed hook (the fake's) that answers with a redirect to loopback.
    const redirecting = `${h.feishu.domain}/open-apis/bot/v2/hook/${bot.hookToken}`;
    await created('feishu', redirecting);
    h.feishu.script('POST', `/open-apis/bot/v2/hook/${bot.hookToken}`, {
      status: 307,
      body: {},
      headers: { location: metadata },
    });

    h.clock.advance(23 * HOUR); // the next morning's digests
    const sends = await waitFor(async () => {
      const rows = await h.db
        .selectFrom('outbox')
        .select(['target', 'status', 'attempts', 'last_error'])
        .where('idempotency_key', 'like', 'digest:%')
        .execute();
      return rows.length === 4 && rows.every((r) => r.status === 'failed') ? rows : undefined;
    }, 15_000);
    const byRef = new Map(sends.map((s) => [(JSON.parse(s.target) as { webhook: string }).webhook, s]));
    expect(byRef.get(metadata)).toMatchObject({
      attempts: 1,
      last_error: expect.stringMatching(/refused.*loopback/),
    });
    expect(byRef.get(privateBot)).toMatchObject({
      attempts: 1,
      last_error: expect.stringMatching(/refused.*resolves to a private address/),
    });
    expect(byRef.get(wecomLoop)).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/refused/) });
    expect(byRef.get(redirecting)).toMatchObject({
      attempts: 1,
      last_error: expect.stringMatching(/HTTP 307, redirect not followed/),
    });

    expect(recorder.hits).toEqual([]);
    expect(h.feishu.callsTo('POST', '/open-apis/bot/v2/hook/').map((c) => c.path)).toEqual([
      `/open-apis/bot/v2/hook/${bot.hookToken}`,
    ]);
    expect(h.wecom.callsTo('/cgi-bin/webhook/send')).toEqual([]);
  });
});
