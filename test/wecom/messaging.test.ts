import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/ports/outbound.ts';
import { enqueue } from '../../src/queue/outbox.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { FIXTURE_TIME, type Harness, startHarness, WECOM_ENV, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomRequest, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const CORP = WECOM_ENV.WECOM_CORP_ID;
const KF_ACCOUNT = 'wkEAlECwAAqzJ5vCgVFTbRw1Xh3jFmAA';
const KF_CUSTOMER = 'wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA';
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** A 1×1 PNG. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe.each(serverDialectsUnderTest())('WeCom messaging on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const start = async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
  };
  const send = async (items: OutboundMessage[]) => {
    await enqueue(h.db, items, h.clock.now());
    h.server.liaison.outbox.kick();
  };
  const toMember = (key: string, text: string): OutboundMessage => ({
    platform: 'wecom',
    workspace: CORP,
    target: { kind: 'chat', chatId: 'zhangsan', chatKind: 'private' },
    content: { text },
    idempotencyKey: key,
  });
  const helpFrom = (msgId: string) =>
    // A short answer (one message/send): /help is long enough to be split under WeCom's 2048 bytes.
    withField(withField(wecomXml('msg-text-member.xml'), 'Content', '/mine'), 'MsgId', msgId);
  const sendCalls = () => h.wecom.callsTo('/cgi-bin/message/send');

  it('fetches a new token when WeCom says it expired, and delivers the reply once', async () => {
    await start();
    await postWecom(h, helpFrom('900001'));
    await waitFor(() => sendCalls()[0]);
    h.wecom.expireTokens();
    await postWecom(h, helpFrom('900002'));
    await waitFor(() => sendCalls().length === 3);
    // The outbox records the send after WeCom answered it: wait for the record, not just the request.
    const outbox = () => h.db.selectFrom('outbox').select(['status', 'attempts']).orderBy('id').execute();
    await waitFor(async () => (await outbox()).every((r) => r.status !== 'pending'));
    const rows = await outbox();
    expect(rows).toEqual([
      { status: 'sent', attempts: 1 },
      { status: 'sent', attempts: 1 },
    ]);
    expect(h.wecom.tokensIssued(WECOM_ENV.WECOM_AGENT_SECRET)).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(sendCalls()).toHaveLength(3); // one refused with 42001, two delivered
  });

  it('retries a send refused with the frequency limit (45009) or a 5xx, and delivers it once', async () => {
    await start();
    h.wecom.script(
      '/cgi-bin/message/send',
      { body: { errcode: 45009, errmsg: 'api freq out of limit' } },
      { status: 502, body: {} },
    );
    await postWecom(h, helpFrom('900003'));
    await waitFor(() => sendCalls().length === 3, 5_000);
    const row = await waitFor(async () => {
      const r = await h.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
      return r.status === 'sent' ? r : undefined;
    });
    expect(row.attempts).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(sendCalls()).toHaveLength(3);
  });

  it('paces sends to one member under 30 a minute instead of letting WeCom drop them', async () => {
    await start();
    await send(Array.from({ length: 35 }, (_, i) => toMember(`pace:${i}`, `提醒 ${i}`)));
    await waitFor(() => sendCalls().length === 28, 5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(sendCalls()).toHaveLength(28);
    const waiting = await h.db.selectFrom('outbox').select('status').where('status', '!=', 'sent').execute();
    expect(waiting).toEqual(Array.from({ length: 7 }, () => ({ status: 'pending' })));
    h.clock.advance(61_000);
    await waitFor(() => sendCalls().length === 35, 5_000);
    const texts = sendCalls().map((c) => (c.body as { text: { content: string } }).text.content);
    expect(texts).toEqual(Array.from({ length: 35 }, (_, i) => `提醒 ${i}`)); // in order, none lost
  });

  it('splits a long answer under 2048 bytes per message', async () => {
    await start();
    const long = Array.from({ length: 60 }, (_, i) => `第${i}行：王芳 杭州云栖贸易有限公司 重点客户`).join(
      '\n',
    );
    await send([toMember('long:1', long)]);
    await waitFor(() => sendCalls().length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    const parts = sendCalls().map((c) => (c.body as { text: { content: string } }).text.content);
    expect(parts.every((p) => bytes(p) <= 2048)).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });

  it('sends a digest to a group robot as markdown split under 4096 bytes, then its chart as an image', async () => {
    await start();
    const sections = Array.from({ length: 120 }, (_, i) => ({
      heading: `#${i}`,
      text: '王芳 · 意向 · 负责人 张三',
      quote: true,
    }));
    const markdown = sections.map((s) => `**${s.heading}**\n> ${s.text}`).join('\n');
    await send([
      {
        platform: 'wecom',
        workspace: CORP,
        target: { kind: 'robot', webhook: `${h.wecom.apiBase}/cgi-bin/webhook/send?key=robot-key-1` },
        content: { text: '销售日报', markdown: sections, image: { base64: PNG } },
        idempotencyKey: 'digest:2026-03-02',
      },
    ]);
    const calls = await waitFor(() => {
      const c = h.wecom.callsTo('/cgi-bin/webhook/send');
      return (c.at(-1)?.body as { msgtype?: string } | undefined)?.msgtype === 'image' ? c : undefined;
    });
    expect(calls.every((c) => c.query.key === 'robot-key-1')).toBe(true);
    const image = calls.at(-1)?.body as { image: { base64: string; md5: string } };
    expect(image.image).toEqual({
      base64: PNG,
      md5: createHash('md5').update(Buffer.from(PNG, 'base64')).digest('hex'),
    });
    const contents = calls
      .slice(0, -1)
      .map((c) => (c.body as { msgtype: string; markdown: { content: string } }).markdown.content);
    expect(contents.length).toBeGreaterThanOrEqual(2);
    expect(contents.every((p) => bytes(p) <= 4096)).toBe(true);
    expect(contents.join('\n')).toBe(markdown);
    // Recorded once WeCom answered the last part: wait for the record, not just the request.
    await waitFor(
      async () => (await h.db.selectFrom('outbox').select('status').executeTakeFirst())?.status === 'sent',
    );
  });

  it('sends a digest to an app group chat through appchat/send', async () => {
    await start();
    await send([
      {
        platform: 'wecom',
        workspace: CORP,
        target: { kind: 'chat', chatId: 'wrAppChat0001', chatKind: 'group' },
        content: { text: '销售日报', markdown: [{ heading: '销售日报', text: '新客户 3' }] },
        idempotencyKey: 'digest:appchat:1',
      },
    ]);
    const call = await waitFor(() => h.wecom.callsTo('/cgi-bin/appchat/send')[0]);
    expect(call.body).toEqual({
      chatid: 'wrAppChat0001',
      msgtype: 'markdown',
      markdown: { content: '**销售日报**\n新客户 3' },
    });
    expect(call.secret).toBe(WECOM_ENV.WECOM_AGENT_SECRET);
  });

  it('pulls 微信客服 messages with the callback token and keeps the cursor across callbacks and a restart', async () => {
    await start();
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '小周', unionid: 'oUnion-kf-0001' });
    h.wecom.kfPages.push(FakeWecom.kfSyncFixture());
    const kfEvent = wecomXml('event-kf-msg-or-event.xml');
    await postWecom(h, kfEvent);
    const first = await waitFor(() => h.wecom.callsTo('/cgi-bin/kf/sync_msg')[0]);
    expect(first.body).toEqual({
      open_kfid: KF_ACCOUNT,
      limit: 1000,
      token: 'ENC23GCQnlPteEGAjashC9izRnJWxVH4ZdK7JKdknpOLfy3',
    });
    expect(first.secret).toBe(WECOM_ENV.WECOM_KF_SECRET);
    const customer = await waitFor(async () => {
      const { body } = await h.api<{ items: Array<{ id: number; name: string }> }>('/customers');
      return body.items[0];
    });
    expect(customer.name).toBe('小周');
    const detail = await waitFor(async () => {
      const d = (
        await h.api<{ timeline: Array<{ type: string; text: string; direction: string }> }>(
          `/customers/${customer.id}`,
        )
      ).body;
      const messages = d.timeline.filter((t) => t.type === 'message');
      return messages.length === 2 ? { timeline: messages } : undefined;
    });
    expect(detail.timeline.map((t) => [t.direction, t.text])).toEqual([
      ['in', '你好，想咨询一下你们的企业版'],
      ['in', '大概多少钱一年？可以开发票吗？'],
    ]);

    await postWecom(h, withField(kfEvent, 'Token', 'second-callback-token'));
    const second = await waitFor(() => h.wecom.callsTo('/cgi-bin/kf/sync_msg')[1]);
    expect(second.body).toMatchObject({ cursor: 'Pqyo4TTaEU4wCyQxCT0', token: 'second-callback-token' });

    await h.restart();
    await postWecom(h, withField(kfEvent, 'Token', 'third-callback-token'));
    const third = await waitFor(() => h.wecom.callsTo('/cgi-bin/kf/sync_msg')[2]);
    expect(third.body).toMatchObject({ cursor: 'Pqyo4TTaEU4wCyQxCT0' });
  });

  it('links a 微信客服 user to the contact with the same unionid, and records servicer replies and session events', async () => {
    await start();
    const add = wecomRequest('post-event-add-external-contact.json');
    await fetch(`${h.url}/webhooks/wecom?${add.rawQuery}`, { method: 'POST', body: add.body });
    await waitFor(async () => (await h.api<{ items: unknown[] }>('/customers')).body.items.length === 1);
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '芳芳', unionid: 'oj5zbW9sygGNyAZwADfcL91kJcxk' });
    const page = FakeWecom.kfSyncFixture() as { msg_list: unknown[] };
    page.msg_list.push(
      {
        msgid: 'svc-1',
        open_kfid: KF_ACCOUNT,
        external_userid: KF_CUSTOMER,
        servicer_userid: 'zhangsan',
        send_time: 1772418298,
        origin: 5,
        msgtype: 'text',
        text: { content: '企业版一年 9800 元，可以开票。' },
      },
      {
        msgid: 'evt-1',
        open_kfid: KF_ACCOUNT,
        send_time: 1772418299,
        origin: 4,
        msgtype: 'event',
        event: {
          event_type: 'session_status_change',
          open_kfid: KF_ACCOUNT,
          external_userid: KF_CUSTOMER,
          change_type: 4,
        },
      },
    );
    h.wecom.kfPages.push(page);
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    const detail = await waitFor(async () => {
      const { body } = await h.api<{ items: Array<{ id: number }> }>('/customers');
      const d = (
        await h.api<{
          identities: unknown[];
          timeline: Array<{
            type: string;
            kind?: string;
            direction?: string;
            author?: { name: string | null };
          }>;
        }>(`/customers/${body.items[0]?.id}`)
      ).body;
      // The price question also moves the new lead to 意向 (stage_suggested), beside the messages and events here.
      const timeline = d.timeline.filter((t) => t.kind !== 'stage_suggested');
      return timeline.length === 5 ? { d: { ...d, timeline }, count: body.items.length } : undefined;
    });
    expect(detail.count).toBe(1);
    expect(detail.d.identities).toHaveLength(2);
    expect(detail.d.timeline.map((t) => t.kind ?? t.direction)).toEqual([
      'contact_added',
      'in',
      'in',
      'out',
      'notice:session_status_change',
    ]);
    expect(detail.d.timeline[3]?.author?.name).toBe('zhangsan');
  });

  it('refuses a 微信客服 reply past the 5-message window, keeps it visible and tells the owner', async () => {
    await start();
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '小周' });
    const page = FakeWecom.kfSyncFixture() as { msg_list: Array<{ send_time: number }> };
    for (const m of page.msg_list) m.send_time = Math.floor(h.clock.now() / 1000) - 60;
    h.wecom.kfPages.push(page);
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    const chat = await waitFor(() =>
      h.db.selectFrom('chats').select(['id', 'customer_id']).where('kind', '=', 'service').executeTakeFirst(),
    );
    const owner = (
      await h.db
        .selectFrom('staff')
        .select('id')
        .where('display_name', '=', 'telegram:5123456789')
        .executeTakeFirstOrThrow()
    ).id;
    await h.db.updateTable('customers').set({ owner_staff_id: owner }).execute();
    const reply = (i: number): OutboundMessage => ({
      platform: 'wecom',
      workspace: CORP,
      target: { kind: 'chat', chatId: KF_CUSTOMER, chatKind: 'service', connectionId: KF_ACCOUNT },
      content: { text: `回复 ${i}` },
      idempotencyKey: `kf-reply:${i}`,
      customerId: chat.customer_id as number,
      chatId: chat.id,
      reportTo: owner,
    });
    for (let i = 1; i <= 6; i++) {
      await send([reply(i)]);
      await waitFor(
        async () =>
          (
            await h.db
              .selectFrom('outbox')
              .select('status')
              .where('idempotency_key', '=', `kf-reply:${i}`)
              .executeTakeFirst()
          )?.status !== 'pending',
      );
    }
    expect(h.wecom.callsTo('/cgi-bin/kf/send_msg')).toHaveLength(5);
    const refused = await h.db
      .selectFrom('outbox')
      .selectAll()
      .where('idempotency_key', '=', 'kf-reply:6')
      .executeTakeFirstOrThrow();
    expect(refused.status).toBe('failed');
    expect(refused.last_error).toContain('reply limit');
    // The owner hears of it (beside the hot-lead alert the price question raised).
    const told = await waitFor(() =>
      h.telegram.callsTo('sendMessage').find((c) => String(c.body.text).includes('48小时')),
    );
    expect(told.body.chat_id).toBe('5123456789');
  });
});
