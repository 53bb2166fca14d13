import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/ports/outbound.ts';
import { enqueue } from '../../src/queue/outbox.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeFeishu } from '../helpers/fake-feishu.ts';
import { feishuEvent, feishuFile, postFeishu } from '../helpers/feishu-events.ts';
import { FEISHU_ENV, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const APP = FEISHU_ENV.FEISHU_APP_ID;
const OUR_TENANT = '2ed263bf32cf1651';
const GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const P2P = 'oc_c72232ea007e07596598e442973b0fac';
const ZHANGSAN = 'ou_0028f3516910a0480e104e37b7b65e71';
const LISI = 'ou_b570a463a65682bc6f5aa7ca630b4d73';
const WANGFANG = 'ou_ext0000000000000000000000000001';

type Delivery = { via: string; chatOrMessageId: string; msgType: string; content: unknown };

describe.each(serverDialectsUnderTest())('Feishu conversations on $name', (dialect) => {
  let h: Harness;
  let seq = 0;
  beforeEach(async () => {
    h = await startHarness(dialect, { feishu: true, clockAt: FIXTURE_TIME });
    h.feishu.chatMembers.set(GROUP, [
      { member_id: ZHANGSAN, name: '张三', tenant_key: OUR_TENANT },
      { member_id: WANGFANG, name: '王芳', tenant_key: 'ext-tenant-9f' },
    ]);
  });
  afterEach(async () => {
    await h.close();
  });

  const settled = () =>
    waitFor(
      async () =>
        (await h.db.selectFrom('inbox').where('status', '!=', 'done').selectAll().execute()).length === 0,
    );
  const customers = async () =>
    (
      await h.api<{ items: Array<{ id: number; name: string; owner: { name: string } | null }> }>(
        '/customers',
      )
    ).body.items;
  /** A group message from someone, as Feishu delivers it. */
  const groupMessage = (from: string, tenant: string, content: object, type = 'text', extra: object = {}) =>
    feishuEvent('event-im-message-group-mention.json', `evt-${++seq}`, (e) => {
      e.event.sender = {
        sender_id: { open_id: from, union_id: `on_${from.slice(3)}` },
        sender_type: 'user',
        tenant_key: tenant,
      };
      e.event.message = {
        ...(e.event.message as object),
        message_id: `om_g${seq}`,
        message_type: type,
        content: JSON.stringify(content),
        mentions: [],
        ...extra,
      };
    });
  const p2pFrom = (openId: string, text: string) =>
    feishuEvent('event-im-message-p2p-text.json', `evt-${++seq}`, (e) => {
      e.event.sender = { sender_id: { open_id: openId }, sender_type: 'user', tenant_key: OUR_TENANT };
      e.event.message = {
        ...(e.event.message as object),
        message_id: `om_p${seq}`,
        chat_id: `oc_p2p_${openId}`,
        content: JSON.stringify({ text }),
      };
    });
  const wangFangWrites = async () => {
    await postFeishu(h, groupMessage(WANGFANG, 'ext-tenant-9f', { text: '你好，想了解企业版的报价' }));
    await settled();
  };

  it('captures an external-tenant customer’s group message, named from the chat’s members', async () => {
    await wangFangWrites();
    const [c] = await customers();
    expect(c?.name).toBe('王芳');
    const d = (
      await h.api<{
        identities: Array<{ externalId: string; workspace: string }>;
        timeline: Array<{ type: string; direction: string; text: string; chat: { kind: string } }>;
      }>(`/customers/${c?.id}`)
    ).body;
    expect(d.identities).toEqual([expect.objectContaining({ externalId: WANGFANG, workspace: APP })]);
    // Messages only: a price question's stage suggestion is an event beside them.
    expect(d.timeline.filter((t) => t.type === 'message')).toEqual([
      expect.objectContaining({
        direction: 'in',
        text: '你好，想了解企业版的报价',
        chat: expect.objectContaining({ kind: 'group' }),
      }),
    ]);
    const union = await h.db.selectFrom('identities').select('union_id').executeTakeFirstOrThrow();
    expect(union.union_id).toBe(`on_${WANGFANG.slice(3)}`);
  });

  it('flattens rich text, keeps pictures by reference, and records staff replies in a customer group', async () => {
    await wangFangWrites();
    const post = {
      zh_cn: {
        title: '需求',
        content: [[{ tag: 'text', text: '要 50 个账号' }], [{ tag: 'a', text: '官网', href: 'https://x' }]],
      },
    };
    await postFeishu(h, groupMessage(WANGFANG, 'ext-tenant-9f', post, 'post'));
    await postFeishu(h, groupMessage(WANGFANG, 'ext-tenant-9f', { image_key: 'img_v3_abc' }, 'image'));
    await postFeishu(h, groupMessage(ZHANGSAN, OUR_TENANT, { text: '好的，稍后发您报价' }));
    await settled();
    const [c] = await customers();
    const d = (
      await h.api<{
        timeline: Array<{
          direction: string;
          type: string;
          text: string;
          contentType: string;
          attachment: unknown;
          author: { kind: string };
        }>;
      }>(`/customers/${c?.id}`)
    ).body;
    const messages = d.timeline.filter((t) => t.type === 'message');
    expect(messages.map((t) => [t.direction, t.author.kind, t.contentType, t.text])).toEqual([
      ['in', 'customer', 'text', '你好，想了解企业版的报价'],
      ['in', 'customer', 'text', '需求\n要 50 个账号\n官网'],
      ['in', 'customer', 'image', ''],
      ['out', 'staff', 'text', '好的，稍后发您报价'],
    ]);
    expect(messages[2]?.attachment).toEqual({ type: 'image', key: 'img_v3_abc' });
  });

  it('answers a staff member’s p2p 查找 (no slash) in the chat, with the customer’s name and a uuid', async () => {
    await wangFangWrites();
    const req = feishuFile<{ headers: Record<string, string>; rawBody: string }>(
      'post-im-message-p2p-encrypted.json',
    );
    await fetch(`${h.url}/webhooks/feishu`, { method: 'POST', headers: req.headers, body: req.rawBody });
    const call = await waitFor(() => h.feishu.callsTo('POST', '/open-apis/im/v1/messages')[0]);
    expect(call.query.receive_id_type).toBe('chat_id');
    const body = call.body as { receive_id: string; msg_type: string; content: string; uuid: string };
    expect(body.receive_id).toBe(P2P);
    expect(JSON.parse(body.content).text).toContain('王芳');
    expect(body.uuid).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers an @mention command in a group in the message’s thread', async () => {
    await postFeishu(h, feishuEvent('event-im-message-group-mention.json', 'evt-mention-1'));
    const reply = await waitFor(
      () =>
        h.feishu.callsTo('POST', '/open-apis/im/v1/messages/om_ecef76ad2399b686049a19d75a1c6a04/reply')[0],
    );
    expect((reply.body as { msg_type: string }).msg_type).toBe('text');
    expect(h.feishu.callsTo('POST', '/open-apis/im/v1/messages?')).toHaveLength(0);
  });

  it('shows a customer card; its button reassigns within the clicker’s data scope and refuses outside it', async () => {
    await wangFangWrites();
    const [c] = await customers();
    await postFeishu(h, p2pFrom(ZHANGSAN, `/show #${c?.id}`));
    const cardCall = await waitFor(() => h.feishu.callsTo('POST', '/open-apis/im/v1/messages')[0]);
    const sent = cardCall.body as { msg_type: string; content: string };
    expect(sent.msg_type).toBe('interactive');
    const card = JSON.parse(sent.content) as {
      schema: string;
      header: { title: { content: string } };
      body: { elements: unknown[] };
    };
    expect(card.schema).toBe('2.0');
    expect(card.header.title.content).toBe(`王芳 #${c?.id}`);
    expect(JSON.stringify(card.body)).toContain('你好，想了解企业版的报价');

    const click = (who: string, id: string) =>
      postFeishu(h, {
        schema: '2.0',
        header: {
          event_id: id,
          event_type: 'card.action.trigger',
          create_time: String(h.clock.now()),
          token: FEISHU_ENV.FEISHU_VERIFICATION_TOKEN,
          app_id: APP,
          tenant_key: OUR_TENANT,
        },
        event: {
          operator: { tenant_key: OUR_TENANT, open_id: who },
          token: 'c-token',
          action: { value: { action: 'assign_to_me', customer: c?.id }, tag: 'button' },
          host: 'im_message',
          context: { open_message_id: 'om_card_1', open_chat_id: `oc_p2p_${who}` },
        },
      });
    const answer = await click(ZHANGSAN, 'evt-click-1');
    expect(await answer.json()).toMatchObject({ toast: { type: 'info' } });
    await settled();
    expect((await customers())[0]?.owner?.name).toBe('张三');
    const patched = await waitFor(() => (h.feishu.deliveries as Delivery[]).find((d) => d.via === 'patch'));
    expect(patched.chatOrMessageId).toBe('om_card_1');
    expect(JSON.stringify(patched.content)).toContain('张三');

    // 李四 is a rep too: 张三's customer is outside his scope now.
    await click(LISI, 'evt-click-2');
    await settled();
    expect((await customers())[0]?.owner?.name).toBe('张三');
    const told = await waitFor(() =>
      h.feishu
        .callsTo('POST', '/open-apis/im/v1/messages')
        .find((x) => x.query.receive_id_type === 'open_id'),
    );
    expect((told.body as { receive_id: string }).receive_id).toBe(LISI);
    expect(JSON.parse((told.body as { content: string }).content).text).toContain('权限');
  });

  it('delivers a digest card to a group chat and to a signed custom bot webhook', async () => {
    const digest = {
      title: '销售日报 3月2日',
      fields: [{ label: '新客户', value: '2' }],
      sections: [{ heading: '待回复', text: '王芳 #1' }],
      buttons: [],
    };
    const bot = feishuFile<{ hookToken: string; secret: string }>('custom-bot-webhook-signed.json');
    const items: OutboundMessage[] = [
      {
        platform: 'feishu',
        workspace: APP,
        target: { kind: 'chat', chatId: GROUP },
        content: { text: '销售日报', card: digest },
        idempotencyKey: 'digest:group',
      },
      {
        platform: 'feishu',
        workspace: APP,
        target: {
          kind: 'robot',
          webhook: `${h.feishu.domain}/open-apis/bot/v2/hook/${bot.hookToken}`,
          secret: bot.secret,
        },
        content: { text: '销售日报', card: digest },
        idempotencyKey: 'digest:bot',
      },
    ];
    await enqueue(h.db, items, h.clock.now());
    h.server.liaison.outbox.kick();
    const delivered = await waitFor(() => {
      const d = h.feishu.deliveries as Delivery[];
      return d.length === 2 ? d : undefined;
    });
    expect(delivered.map((d) => [d.via, d.chatOrMessageId, d.msgType])).toEqual(
      expect.arrayContaining([
        ['create', GROUP, 'interactive'],
        ['hook', bot.hookToken, 'interactive'],
      ]),
    );
    // Recorded once Feishu answered: wait for the records, not just the requests.
    const rows = await waitFor(async () => {
      const r = await h.db.selectFrom('outbox').select('status').execute();
      return r.every((x) => x.status === 'sent') ? r : undefined;
    });
    expect(rows).toEqual([{ status: 'sent' }, { status: 'sent' }]);
  });

  it('keeps to 5 messages a second per chat, and shrinks a digest card for a custom bot’s 20 KB', async () => {
    const bot = feishuFile<{ hookToken: string; secret: string }>('custom-bot-webhook-signed.json');
    const big = {
      title: '周报',
      fields: [],
      sections: [{ text: '第一部分' }, { text: 'x'.repeat(15_000) }, { text: 'y'.repeat(15_000) }],
      buttons: [],
    };
    const items: OutboundMessage[] = [
      ...Array.from(
        { length: 8 },
        (_, i): OutboundMessage => ({
          platform: 'feishu',
          workspace: APP,
          target: { kind: 'chat', chatId: GROUP },
          content: { text: `提醒 ${i}` },
          idempotencyKey: `pace:${i}`,
        }),
      ),
      {
        platform: 'feishu',
        workspace: APP,
        target: {
          kind: 'robot',
          webhook: `${h.feishu.domain}/open-apis/bot/v2/hook/${bot.hookToken}`,
          secret: bot.secret,
        },
        content: { text: '周报', card: big },
        idempotencyKey: 'weekly:bot',
      },
    ];
    await enqueue(h.db, items, h.clock.now());
    h.server.liaison.outbox.kick();
    const hook = await waitFor(() => (h.feishu.deliveries as Delivery[]).find((d) => d.via === 'hook'));
    expect(JSON.stringify(hook.content)).toContain('第一部分');
    expect(JSON.stringify(hook.content)).not.toContain('yyyy');
    await waitFor(() => h.feishu.callsTo('POST', '/open-apis/im/v1/messages').length === 5);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.feishu.callsTo('POST', '/open-apis/im/v1/messages')).toHaveLength(5);
    h.clock.advance(1_100);
    await waitFor(() => h.feishu.callsTo('POST', '/open-apis/im/v1/messages').length === 8, 5_000);
  });

  it('fetches the tenant token once and reuses it; a token Feishu refuses is fetched anew', async () => {
    await wangFangWrites();
    for (const text of ['/help', '/find 王芳', '/show 王芳']) await postFeishu(h, p2pFrom(ZHANGSAN, text));
    await waitFor(() => h.feishu.callsTo('POST', '/open-apis/im/v1/messages').length === 3);
    expect(h.feishu.tokensIssued()).toBe(1);
    h.feishu.expireTokens();
    await postFeishu(h, p2pFrom(ZHANGSAN, '/help'));
    await waitFor(() => h.feishu.callsTo('POST', '/open-apis/im/v1/messages').length === 5);
    await settled();
    expect(h.feishu.tokensIssued()).toBe(2);
    const outbox = await waitFor(async () => {
      const rows = await h.db.selectFrom('outbox').select(['status', 'attempts']).execute();
      return rows.every((r) => r.status !== 'pending') ? rows : undefined;
    });
    expect(outbox.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(FakeFeishu.BOT_OPEN_ID).toMatch(/^ou_/);
  });
});
