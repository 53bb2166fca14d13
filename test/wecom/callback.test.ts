import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, signedCallback, wecomRequest, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

describe.each(serverDialectsUnderTest())('WeCom callback on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const inboxCount = async () => (await h.db.selectFrom('inbox').selectAll().execute()).length;

  it('answers the URL check with the plaintext only, whether the + in echostr arrives raw or encoded', async () => {
    const check = wecomRequest('get-url-check.json');
    for (const query of [check.rawQuery, check.rawQueryEncoded]) {
      const res = await fetch(`${h.url}/webhooks/wecom?${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(check.expectedResponseBody);
    }
    // A form decoder's reading (+ as space) is a different echostr, and must not verify.
    const spaced = check.rawQuery.replace(/\+/g, '%20');
    expect((await fetch(`${h.url}/webhooks/wecom?${spaced}`)).status).toBe(401);
  });

  it('accepts the fixture callbacks as WeCom signed them', async () => {
    for (const name of ['post-msg-text-member.json', 'post-event-add-external-contact.json']) {
      const req = wecomRequest(name);
      const res = await fetch(`${h.url}/webhooks/wecom?${req.rawQuery}`, { method: 'POST', body: req.body });
      expect(res.status, name).toBe(200);
      expect(await res.text()).toBe('');
    }
    expect(await inboxCount()).toBe(2);
  });

  it('rejects a bad signature, a wrong receive id, a stale timestamp and a missing field, storing nothing', async () => {
    const xml = wecomXml('msg-text-member.xml');
    expect((await postWecom(h, xml, { token: 'WrongToken' })).status).toBe(401);
    expect((await postWecom(h, xml, { receiveId: 'wwSomeOtherCorp01' })).status).toBe(403);
    expect((await postWecom(h, xml, { timestamp: Math.floor(h.clock.now() / 1000) - 3600 })).status).toBe(
      401,
    );
    const { query, body } = signedCallback(xml, h.clock.now());
    const tampered = body.replace(
      /<Encrypt><!\[CDATA\[(.)/,
      (_, c) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`,
    );
    expect((await fetch(`${h.url}/webhooks/wecom?${query}`, { method: 'POST', body: tampered })).status).toBe(
      401,
    );
    const unsigned = query.replace(/msg_signature=[^&]+&/, '');
    expect((await fetch(`${h.url}/webhooks/wecom?${unsigned}`, { method: 'POST', body })).status).toBe(400);
    expect(await inboxCount()).toBe(0);
  });

  it('refuses XML with a DOCTYPE or entities without fetching anything, and stays healthy', async () => {
    const fetched: string[] = [];
    const canary = createServer((req, res) => {
      fetched.push(req.url ?? '');
      res.end('<!ENTITY x "pwned">');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    const port = (canary.address() as AddressInfo).port;
    const doctype = `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/leak">]>`;
    try {
      const { query, body } = signedCallback(wecomXml('msg-text-member.xml'), h.clock.now());
      const outer = await fetch(`${h.url}/webhooks/wecom?${query}`, {
        method: 'POST',
        body: `${doctype}${body}`,
      });
      expect(outer.status).toBe(400);
      const inner = `${doctype}${wecomXml('msg-text-member.xml').replace('跟进', '&xxe;')}`;
      expect((await postWecom(h, inner)).status).toBe(400);
      expect(fetched).toEqual([]);
      expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
      expect(await inboxCount()).toBe(0);
    } finally {
      await new Promise((resolve) => canary.close(resolve));
    }
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const { query } = signedCallback(wecomXml('msg-text-member.xml'), h.clock.now());
    const res = await fetch(`${h.url}/webhooks/wecom?${query}`, {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });

  it('stores a message sent three times once and answers it once', async () => {
    const help = withField(wecomXml('msg-text-member.xml'), 'Content', '/help');
    const answers = await Promise.all([1, 2, 3].map(() => postWecom(h, help)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const [reply] = await waitFor(() => {
      const calls = h.wecom.callsTo('/cgi-bin/message/send');
      return calls.length ? calls : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.wecom.callsTo('/cgi-bin/message/send')).toHaveLength(1);
    expect(await inboxCount()).toBe(1);
    expect(reply?.body).toMatchObject({ touser: 'zhangsan', agentid: 1000002, msgtype: 'text' });
    expect(reply?.secret).toBe('fixture-agent-secret-xlAFMDwlhE9KmauBRP1BSu');
  });
});
