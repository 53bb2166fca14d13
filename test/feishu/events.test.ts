import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { feishuEvent, feishuFile, postFeishu } from '../helpers/feishu-events.ts';
import { FEISHU_ENV, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

interface SignedRequest {
  headers: Record<string, string>;
  rawBody: string;
  wrongSignatureOverCompactBody?: string;
  expectedResponse?: unknown;
}

describe.each(serverDialectsUnderTest())('Feishu events on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${h.url}/webhooks/feishu`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const inboxCount = async () => (await h.db.selectFrom('inbox').selectAll().execute()).length;

  it('answers an encrypted url_verification with the challenge, and a plain one; refuses a wrong token', async () => {
    const encrypted = feishuFile<SignedRequest>('post-url-verification-encrypted.json');
    const res = await post(encrypted.rawBody);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(encrypted.expectedResponse);
    const plain = feishuFile<{ challenge: string; token: string; type: string }>('url-verification.json');
    expect(await (await post(JSON.stringify(plain))).json()).toEqual({ challenge: plain.challenge });
    expect((await post(JSON.stringify({ ...plain, token: 'not-the-token-at-all' }))).status).toBe(401);
    expect(await inboxCount()).toBe(0);
  });

  it('accepts a correctly signed body that is not compact JSON (signature over the raw bytes)', async () => {
    const req = feishuFile<SignedRequest>('post-im-message-p2p-encrypted.json');
    expect(req.rawBody).toContain('": "'); // the space a re-serialising verifier would lose
    const res = await post(req.rawBody, req.headers);
    expect(res.status).toBe(200);
    expect(await inboxCount()).toBe(1);
    // What a verifier that re-serialises the body would compute does not sign the bytes Feishu sent.
    const reserialised = { ...req.headers, 'X-Lark-Signature': req.wrongSignatureOverCompactBody as string };
    expect((await post(req.rawBody, reserialised)).status).toBe(401);
  });

  it('refuses a bad signature, a stale timestamp, missing headers and a clear-text event, storing nothing', async () => {
    const event = feishuEvent('event-im-message-p2p-text.json', 'evt-forged-1');
    expect((await postFeishu(h, event, { signKey: 'someone-elses-encrypt-key' })).status).toBe(401);
    expect((await postFeishu(h, event, { timestampS: Math.floor(h.clock.now() / 1000) - 3600 })).status).toBe(
      401,
    );
    expect((await postFeishu(h, event, { unsigned: true })).status).toBe(401);
    expect((await postFeishu(h, event, { plain: true })).status).toBe(401);
    const wrongToken = feishuEvent('event-im-message-p2p-text.json', 'evt-forged-2', (e) => {
      Object.assign(e.header, { token: 'not-our-verification-token' });
    });
    expect((await postFeishu(h, wrongToken)).status).toBe(401);
    expect(
      (
        await post('{"encrypt": "not base64 at all!"}', {
          'x-lark-request-timestamp': '1',
          'x-lark-request-nonce': 'n',
          'x-lark-signature': 'x',
        })
      ).status,
    ).toBe(401);
    expect((await post('{"encrypt": ')).status).toBe(400);
    expect(await inboxCount()).toBe(0);
  });

  it('stores an event delivered three times once', async () => {
    const event = feishuEvent('event-im-message-p2p-text.json', 'evt-dup-1');
    const answers = await Promise.all([1, 2, 3].map(() => postFeishu(h, event)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await inboxCount()).toBe(1);
    await waitFor(() => h.feishu.callsTo('POST', '/open-apis/im/v1/messages')[0]);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.feishu.callsTo('POST', '/open-apis/im/v1/messages')).toHaveLength(1);
  });

  it('uses the app credentials it was given', () => {
    expect(h.feishu.appId).toBe(FEISHU_ENV.FEISHU_APP_ID);
  });
});
