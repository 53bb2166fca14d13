import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SourceLogLimiter } from '../../src/http/source-log-limiter.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, type LogLine, startHarness, waitFor } from '../helpers/harness.ts';

/** A near miss of the real secret: it must not reach a log line. */
const WRONG_SECRET = 'near-miss-of-the-webhook-secret-0123456789';
const ALICE = 6234567890;

describe.each(serverDialectsUnderTest())(
  'unauthenticated webhook requests and the logs on $name',
  (dialect) => {
    let h: Harness;
    const agents: Agent[] = [];
    beforeEach(async () => {
      h = await startHarness(dialect, { wecom: true, feishu: true });
    });
    afterEach(async () => {
      for (const agent of agents.splice(0)) agent.destroy();
      vi.restoreAllMocks();
      await h.close();
    });

    const target = () => new URL(h.url);
    /** A keep-alive connection pool whose sockets come from `localAddress` (any 127.x.y.z is this computer). */
    const from = (localAddress: string) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 16, localAddress });
      agents.push(agent);
      return agent;
    };
    const post = (agent: Agent, path: string, headers: Record<string, string>, body: string) =>
      new Promise<number>((resolve, reject) => {
        const { hostname, port } = target();
        const req = request(
          {
            host: hostname,
            port,
            path,
            method: 'POST',
            agent,
            headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    /** Headers and a third of the body they announce, then the connection is dropped. */
    const aborted = (localAddress: string) =>
      new Promise<void>((resolve, reject) => {
        const { hostname, port } = target();
        const socket = connect({ host: hostname, port: Number(port), localAddress }, () => {
          socket.write(
            `POST /webhooks/telegram HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
              'Content-Length: 120\r\n\r\n{"update_id": 1, "message": {"text": "',
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 5);
        });
        socket.on('error', reject);
      });
    /** Forged deliveries of every platform: a wrong Telegram secret, an unsigned WeCom and Feishu callback. */
    const forged = (agent: Agent, i: number) => {
      const stamp = Math.floor(h.clock.now() / 1000);
      switch (i % 3) {
        case 0:
          return post(
            agent,
            '/webhooks/telegram',
            { 'x-telegram-bot-api-secret-token': WRONG_SECRET },
            JSON.stringify({ update_id: i, message: { text: 'hi' } }),
          );
        case 1:
          return post(
            agent,
            `/webhooks/wecom?msg_signature=${'0'.repeat(40)}&timestamp=${stamp}&nonce=${i}`,
            {},
            '<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
          );
        default:
          return post(
            agent,
            '/webhooks/feishu',
            { 'content-type': 'application/json' },
            '{"encrypt":"AAAA"}',
          );
      }
    };
    const inBatches = async (count: number, width: number, one: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < count; i += width)
        await Promise.all(Array.from({ length: Math.min(width, count - i) }, (_, k) => one(i + k)));
    };
    const webhookLines = (lines: LogLine[]) =>
      lines.filter((l) => l.message === 'webhook rejected' || l.message === 'webhook request aborted');

    it('1,000 forged and 200 aborted requests from one source write one info line; the next says how many were held back', {
      timeout: 120_000,
    }, async () => {
      const printed = ['error', 'warn', 'info', 'log'].map((m) =>
        vi.spyOn(console, m as 'error' | 'warn' | 'info' | 'log'),
      );
      const before = h.logs.length;
      const one = from('127.0.0.1');
      await inBatches(200, 20, () => aborted('127.0.0.1'));
      const statuses = new Set<number>();
      await inBatches(1_000, 16, async (i) => statuses.add(await forged(one, i)));
      expect([...statuses]).toEqual([401]);

      // Another source is not silenced by the first.
      expect(await forged(from('127.0.0.2'), 0)).toBe(401);
      const flood = h.logs.slice(before);
      expect(flood.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
      expect(flood).toEqual([
        {
          level: 'info',
          message: 'webhook request aborted',
          fields: { platform: 'telegram', source: '127.0.0.1', suppressed: 0 },
        },
        {
          level: 'info',
          message: 'webhook rejected',
          fields: {
            platform: 'telegram',
            status: 401,
            reason: 'wrong secret token',
            source: '127.0.0.2',
            suppressed: 0,
          },
        },
      ]);
      // Nothing went around the logger either (the Node adapter prints some failures to the console).
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();

      // A minute on, the first source gets a line again, counting what it was spared.
      h.clock.advance(61_000);
      expect(await forged(one, 0)).toBe(401);
      expect(webhookLines(h.logs.slice(before)).at(-1)?.fields).toMatchObject({
        source: '127.0.0.1',
        suppressed: 1_199,
      });
      expect(JSON.stringify(h.logs)).not.toContain(WRONG_SECRET);

      // The service was never in trouble: a real update is taken as usual.
      const update = {
        update_id: 1,
        message: {
          message_id: 1,
          date: Math.floor(h.clock.now() / 1000),
          chat: { id: ALICE, type: 'private' },
          from: { id: ALICE, is_bot: false, first_name: 'Alice' },
          text: 'hello',
        },
      };
      expect((await h.postUpdate(update)).status).toBe(200);
      await waitFor(() =>
        h.db
          .selectFrom('identities')
          .select('id')
          .where('external_id', '=', String(ALICE))
          .executeTakeFirst(),
      );
    });

    it('a scan from many addresses writes at most a minute’s budget of lines, and reports the rest later', {
      timeout: 60_000,
    }, async () => {
      const before = h.logs.length;
      await inBatches(150, 15, async (i) => forged(from(`127.0.1.${i + 1}`), 0));
      const lines = webhookLines(h.logs.slice(before));
      expect(lines).toHaveLength(60);
      expect(new Set(lines.map((l) => (l.fields as { source: string }).source)).size).toBe(60);
      h.clock.advance(61_000);
      await forged(from('127.0.2.1'), 0);
      expect(webhookLines(h.logs.slice(before)).at(-1)?.fields).toMatchObject({
        source: '127.0.2.1',
        suppressed: 0,
        suppressedElsewhere: 90,
      });
    });
  },
);

describe('the per-source log limiter', () => {
  it('remembers a bounded number of sources, and what forgotten ones held back is reported with the next line', () => {
    let now = 0;
    const limiter = new SourceLogLimiter(() => now, { maxSources: 100, maxLinesPerWindow: 1_000_000 });
    const source = (i: number) => `10.0.${i >> 8}.${i & 255}`;
    expect(limiter.admit('192.0.2.1')).toEqual({ suppressed: 0 });
    for (let n = 0; n < 3; n++) expect(limiter.admit('192.0.2.1')).toBeNull();
    for (let i = 0; i < 10_000; i++) {
      const admitted = limiter.admit(source(i));
      // The line that pushes 192.0.2.1 out is the one after: it reports the 3 lines that source held back.
      expect(admitted).toEqual(i === 100 ? { suppressed: 0, suppressedElsewhere: 3 } : { suppressed: 0 });
      expect(limiter.remembered).toBeLessThanOrEqual(100);
    }
    expect(limiter.admit(source(9_999))).toBeNull(); // still remembered: held back
    now += 60_000;
    expect(limiter.admit(source(9_999))).toEqual({ suppressed: 1 });
  });
});
