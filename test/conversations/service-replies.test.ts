import { afterEach, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml } from '../helpers/wecom-callbacks.ts';

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
});
