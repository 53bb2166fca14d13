import { afterEach, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const ADMIN = '5234567890';
const MANAGER = '5490000001';
const KF_ACCOUNT = 'wkEAlECwAAqzJ5vCgVFTbRw1Xh3jFmAA';
const KF_CUSTOMER = 'wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA';
const MINUTE = 60_000;

/** A WeChat Customer Service (微信客服) customer is relayed to staff and answered through kf/send_msg, within its rules. */
describe.each(serverDialectsUnderTest())('WeChat Customer Service replies on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('relays the customer, answers within the 48 h window, and explains the 6th message instead of sending it', async () => {
    // The fixture's messages were sent a few minutes after FIXTURE_TIME.
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME + 15 * MINUTE });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 客服组');
    await chat.ask(ADMIN, `/staff add telegram:${MANAGER} manager 客服组`);
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '小周', unionid: 'oUnion-kf-0002' });
    h.wecom.kfPages.push(FakeWecom.kfSyncFixture());
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    // Both messages of the pulled page reach the manager, in one relay when they arrive together.
    const relayed = await waitFor(() => {
      const all = chat
        .sentTo(MANAGER)
        .filter((t) => t.startsWith('💬'))
        .join('\n');
      return all.includes('大概多少钱一年？可以开发票吗？') && all;
    });
    expect(relayed).toContain('你好，想咨询一下你们的企业版');
    const id = Number(/#(\d+) 小周（微信客服）/.exec(relayed)?.[1]);
    expect(id).toBeGreaterThan(0);

    const sends = () => h.wecom.callsTo('/cgi-bin/kf/send_msg');
    for (const n of [1, 2, 3, 4, 5]) {
      expect(await chat.ask(MANAGER, `/reply #${id} 第${n}条答复`)).toBe(`已回复 #${id} 小周（微信客服）。`);
      await waitFor(() => sends().length === n);
    }
    expect(sends()[0]?.body).toMatchObject({
      touser: KF_CUSTOMER,
      open_kfid: KF_ACCOUNT,
      msgtype: 'text',
      text: { content: '第1条答复' },
    });
    // Answered, the session is Liaison's (state 1), taken once: later answers find it taken already.
    await waitFor(() => h.wecom.callsTo('/cgi-bin/kf/service_state/get').length === 5);
    expect(h.wecom.callsTo('/cgi-bin/kf/service_state/trans').map((c) => c.body)).toEqual([
      { open_kfid: KF_ACCOUNT, external_userid: KF_CUSTOMER, service_state: 1 },
    ]);
    expect(h.wecom.kfSessions.get(`${KF_ACCOUNT}|${KF_CUSTOMER}`)?.state).toBe(1);
    // WeChat allows five messages per customer message: the sixth is explained, not sent.
    await waitFor(async () => {
      const out = await h.db.selectFrom('messages').select('id').where('direction', '=', 'out').execute();
      return out.length === 5;
    });
    expect(await chat.ask(MANAGER, `/reply #${id} 第6条答复`)).toContain('最多还能收到 5 条消息');
    // 48 hours after the customer's last message the window is closed.
    h.clock.advance(49 * 60 * MINUTE);
    expect(await chat.ask(MANAGER, `/reply #${id} 还在吗`)).toContain('超出平台的回复时限');
    await new Promise((r) => setTimeout(r, 200));
    expect(sends()).toHaveLength(5);
  });

  it('greets a customer entering the session once with the welcome code, and hands the session to a person', async () => {
    h = await startHarness(dialect, {
      wecom: true,
      clockAt: FIXTURE_TIME + 15 * MINUTE,
      env: { SERVICE_WELCOME: '您好，这里是星河科技，请问有什么可以帮您？' },
    });
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 客服组');
    await chat.ask(ADMIN, `/staff add telegram:${MANAGER} manager 客服组`);
    await chat.ask(ADMIN, '/staff add wecom:zhangsan rep 客服组');
    h.wecom.kfCustomers.set(KF_CUSTOMER, { nickname: '小周' });
    const entered = {
      msgid: 'kf-event-enter-0001',
      open_kfid: KF_ACCOUNT,
      send_time: Math.floor((FIXTURE_TIME + 14 * MINUTE) / 1000),
      origin: 4,
      msgtype: 'event',
      event: {
        event_type: 'enter_session',
        open_kfid: KF_ACCOUNT,
        external_userid: KF_CUSTOMER,
        scene: 'website',
        welcome_code: 'WELCOME-CODE-0001',
      },
    };
    const page = FakeWecom.kfSyncFixture() as { msg_list: unknown[] };
    page.msg_list.unshift(entered);
    h.wecom.kfPages.push(page);
    await postWecom(h, wecomXml('event-kf-msg-or-event.xml'));
    const welcome = await waitFor(() => h.wecom.callsTo('/cgi-bin/kf/send_msg_on_event')[0]);
    expect(welcome.body).toEqual({
      code: 'WELCOME-CODE-0001',
      msgtype: 'text',
      text: { content: '您好，这里是星河科技，请问有什么可以帮您？' },
    });
    // The same event pulled again (a redelivery) greets nobody twice.
    h.wecom.kfPages.push({ next_cursor: 'again', has_more: 0, msg_list: [entered] });
    await postWecom(h, withField(wecomXml('event-kf-msg-or-event.xml'), 'Token', 'second-callback-token'));
    await waitFor(() => h.wecom.callsTo('/cgi-bin/kf/sync_msg').length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.wecom.callsTo('/cgi-bin/kf/send_msg_on_event')).toHaveLength(1);

    const id = await waitFor(
      async () =>
        (
          await h.db
            .selectFrom('chats')
            .select('customer_id')
            .where('kind', '=', 'service')
            .executeTakeFirst()
        )?.customer_id,
    );
    await chat.ask(ADMIN, `/assign #${id} wecom:zhangsan`);
    // zhangsan is not a servicer of the account yet: WeCom refuses, and the manager is told why.
    expect(await chat.ask(MANAGER, `/handoff #${id}`)).toContain('转给');
    const refused = await waitFor(() => chat.sentTo(MANAGER).find((t) => t.startsWith('未能送达')));
    expect(refused).toContain('不是这个客服账号的接待人员');
    h.wecom.kfServicers.add('zhangsan');
    h.clock.advance(1_000);
    expect(await chat.ask(MANAGER, `转人工 #${id}`)).toBe(
      `已把 #${id} 小周 的微信客服会话转给 wecom:zhangsan，请在企业微信客户端接待。`,
    );
    await waitFor(() => h.wecom.callsTo('/cgi-bin/kf/service_state/trans').length === 2);
    expect(h.wecom.callsTo('/cgi-bin/kf/service_state/trans')[1]?.body).toEqual({
      open_kfid: KF_ACCOUNT,
      external_userid: KF_CUSTOMER,
      service_state: 3,
      servicer_userid: 'zhangsan',
    });
    // From now on WeCom refuses API replies in that session (95018): the manager is told to answer in WeCom.
    expect(await chat.ask(MANAGER, `/reply #${id} 还需要什么帮助吗`)).toContain('已回复');
    const told = await waitFor(() =>
      chat.sentTo(MANAGER).find((t) => t.includes('已由接待人员在企业微信里接待')),
    );
    expect(told).toContain(`#${id}`);
  });
});
