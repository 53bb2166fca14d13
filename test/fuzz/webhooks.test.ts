import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, WEBHOOK_SECRET } from '../helpers/harness.ts';
import {
  anyText,
  feishuEvents,
  jsonBody,
  telegramUpdates,
  webPosts,
  wecomXmlBody,
  wellFormed,
} from './arbitraries.ts';

const SEED = 20261130;
const sqlite = dialectsUnderTest().filter((d) => d.name === 'sqlite');

/** Header values fetch will send (visible ASCII): the verifiers see them exactly. */
const headerValue = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 40,
});

describe.each(sqlite)('every webhook route of the real app on $name, under arbitrary requests', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect, { wecom: true, feishu: true, clockAt: FIXTURE_TIME });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers every body, header and query with a status below 500', async () => {
    const route = fc.constantFrom('telegram', 'wecom', 'feishu', 'web', 'nosuchplatform');
    const headers = fc.record(
      {
        'x-telegram-bot-api-secret-token': fc.oneof(fc.constant(WEBHOOK_SECRET), headerValue),
        'x-lark-request-timestamp': fc.oneof(fc.constant(String(FIXTURE_TIME / 1000)), headerValue),
        'x-lark-request-nonce': headerValue,
        'x-lark-signature': headerValue,
        'content-type': fc.constantFrom('application/json', 'text/xml', 'text/plain', headerValue as never),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      jsonBody(telegramUpdates),
      jsonBody(feishuEvents),
      jsonBody(webPosts),
      wecomXmlBody,
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const query = fc.oneof(
      fc.constant(''),
      anyText(40).map((q) => `?${encodeURI(wellFormed(q))}`),
      fc.constant(`?msg_signature=x&timestamp=${FIXTURE_TIME / 1000}&nonce=1&echostr=abc`),
    );
    const method = fc.constantFrom('POST', 'POST', 'GET', 'PUT');
    await fc.assert(
      fc.asyncProperty(route, method, query, headers, body, async (r, m, q, hs, b) => {
        const response = await fetch(`${h.url}/webhooks/${r}${q}`, {
          method: m,
          headers: hs as Record<string, string>,
          ...(m === 'GET' ? {} : { body: b }),
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(h.logs.filter((l) => l.message === 'request failed')).toEqual([]);
  }, 120_000);
});
