import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { feishuEvent, postFeishu } from '../helpers/feishu-events.ts';
import { FEISHU_ENV, FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const APP = FEISHU_ENV.FEISHU_APP_ID;
const OUR_TENANT = '2ed263bf32cf1651';
const GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const ZHANGSAN = 'ou_0028f3516910a0480e104e37b7b65e71';
const LISI = 'ou_b570a463a65682bc6f5aa7ca630b4d73';
const WANGFANG = 'ou_ext0000000000000000000000000001';

type Sent = { receive_id: string; msg_type: string; content: string };

describe.each(serverDialectsUnderTest())(
  'assistant plans confirmed by a Feishu card button on $name',
  (dialect) => {
    let h: Harness;
    let fake: FakeOpenAi;
    let seq = 0;
    beforeEach(async () => {
      fake = await new FakeOpenAi().start();
      h = await startHarness(dialect, {
        feishu: true,
        clockAt: FIXTURE_TIME,
        env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: fake.url, AUTO_TAG_LLM: 'off' },
      });
      h.feishu.chatMembers.set(GROUP, [
        { member_id: ZHANGSAN, name: '张三', tenant_key: OUR_TENANT },
        { member_id: WANGFANG, name: '王芳', tenant_key: 'ext-tenant-9f' },
      ]);
      await postFeishu(
        h,
        feishuEvent('event-im-message-group-mention.json', `evt-${++seq}`, (e) => {
          e.event.sender = {
            sender_id: { open_id: WANGFANG },
            sender_type: 'user',
            tenant_key: 'ext-tenant-9f',
          };
          e.event.message = {
            ...(e.event.message as object),
            message_id: `om_g${seq}`,
            content: JSON.stringify({ text: '想了解企业版的报价' }),
            mentions: [],
          };
        }),
      );
      await settled();
    });
    afterEach(async () => {
      await h.close();
      await fake.close();
    });

    const settled = () =>
      waitFor(
        async () =>
          (await h.db.selectFrom('inbox').select('status').where('status', '!=', 'done').execute()).length ===
          0,
      );
    const sent = () => h.feishu.callsTo('POST', '/open-apis/im/v1/messages').map((c) => c.body as Sent);
    const p2p = (openId: string, text: string) =>
      postFeishu(
        h,
        feishuEvent('event-im-message-p2p-text.json', `evt-${++seq}`, (e) => {
          e.event.sender = { sender_id: { open_id: openId }, sender_type: 'user', tenant_key: OUR_TENANT };
          e.event.message = {
            ...(e.event.message as object),
            message_id: `om_p${seq}`,
            chat_id: `oc_p2p_${openId}`,
            content: JSON.stringify({ text }),
          };
        }),
      );
    const click = (who: string, value: object) =>
      postFeishu(h, {
        schema: '2.0',
        header: {
          event_id: `evt-click-${++seq}`,
          event_type: 'card.action.trigger',
          create_time: String(h.clock.now()),
          token: FEISHU_ENV.FEISHU_VERIFICATION_TOKEN,
          app_id: APP,
          tenant_key: OUR_TENANT,
        },
        event: {
          operator: { tenant_key: OUR_TENANT, open_id: who },
          token: 'c-token',
          action: { value, tag: 'button' },
          host: 'im_message',
          context: { open_message_id: 'om_plan_card', open_chat_id: `oc_p2p_${who}` },
        },
      });
    // Tags a person gave (the customer's own message earns a rule tag, 询价, which is not the plan's doing).
    const tags = () => h.db.selectFrom('customer_tags').selectAll().where('source', '!=', 'rule').execute();

    it('sends the plan as a card whose Confirm button, clicked by the asker only, applies it once', async () => {
      fake.script({
        toolCalls: [{ name: 'tag_customer', arguments: { customer: '王芳', tags: ['高意向'] } }],
      });
      await p2p(ZHANGSAN, '把王芳标成高意向');
      const planCall = await waitFor(() => sent().find((s) => s.msg_type === 'interactive'), 8_000);
      const card = JSON.stringify(JSON.parse(planCall.content));
      expect(card).toContain('待确认的操作');
      expect(card).toContain('/tag #');
      const request = (await h.db.selectFrom('pending_requests').select('id').executeTakeFirstOrThrow()).id;
      expect(card).toContain(JSON.stringify({ action: 'confirm_request', request }));
      expect(await tags()).toHaveLength(0);

      // 李四 did not ask: his click changes nothing.
      await click(LISI, { action: 'confirm_request', request });
      await settled();
      expect(await tags()).toHaveLength(0);

      await click(ZHANGSAN, { action: 'confirm_request', request });
      await settled();
      expect(await tags()).toHaveLength(1);
      const patched = await waitFor(() =>
        (h.feishu.deliveries as Array<{ via: string; chatOrMessageId: string; content: unknown }>).find(
          (d) => d.via === 'patch',
        ),
      );
      expect(patched.chatOrMessageId).toBe('om_plan_card');
      expect(JSON.stringify(patched.content)).toContain('已执行');
      const told = await waitFor(() =>
        sent().find((s) => s.receive_id === `oc_p2p_${ZHANGSAN}` && s.content.includes('已为')),
      );
      expect(told.msg_type).toBe('text');

      await click(ZHANGSAN, { action: 'confirm_request', request });
      await settled();
      expect(await tags()).toHaveLength(1);
      const actions = (await h.db.selectFrom('audit_log').select('action').execute()).map((a) => a.action);
      expect(actions.filter((a) => a === 'assistant.confirmed')).toHaveLength(1);
    });
  },
);
