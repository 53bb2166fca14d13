import { afterEach, describe, expect, it } from 'vitest';
import { telegramDriver, wecomDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml, withField } from '../helpers/wecom-callbacks.ts';

const ADMIN = '5234567890';
const KF_ACCOUNT = 'wkEAlECwAAqzJ5vCgVFTbRw1Xh3jFmAA';
const FIRST = 'wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA';
const SECOND = 'wmEAlECwAA7second0000customerAA';
const MINUTE = 60_000;

/**
 * WeCom has no reply-to for app messages: right after a relay, "回复 <text>" answers the relayed customer, and asks
 * first when it could be someone else.
 */
describe.each(serverDialectsUnderTest())('"回复" after a relay in WeCom on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  let nextPage = 0;
  async function customerWrites(externalId: string, text: string) {
    nextPage++;
    h.wecom.kfPages.push({
      errcode: 0,
      errmsg: 'ok',
      next_cursor: `cursor-${nextPage}`,
      has_more: 0,
      msg_list: [
        {
          msgid: `last-relayed-${nextPage}-${externalId}`,
          open_kfid: KF_ACCOUNT,
          external_userid: externalId,
          send_time: Math.floor(h.clock.now() / 1000) - 5,
          origin: 3,
          msgtype: 'text',
          text: { content: text },
        },
      ],
    });
    await postWecom(
      h,
      withField(wecomXml('event-kf-msg-or-event.xml'), 'Token', `callback-token-${nextPage}`),
    );
  }

  it('answers the customer last relayed, confirms when two were, and needs a customer once the relay is old', async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME + 15 * MINUTE });
    await telegramDriver(h).ask(ADMIN, '/team add 客服组');
    await telegramDriver(h).ask(ADMIN, '/staff add wecom:zhangsan manager 客服组');
    const wecom = wecomDriver(h);
    h.wecom.kfCustomers.set(FIRST, { nickname: '小周' });
    h.wecom.kfCustomers.set(SECOND, { nickname: '老李' });
    const relays = () => wecom.sentTo('zhangsan').filter((t) => t.startsWith('💬'));
    const sends = () => h.wecom.callsTo('/cgi-bin/kf/send_msg').map((c) => c.body as Record<string, unknown>);

    await customerWrites(FIRST, '你好，企业版多少钱一年？');
    const relay = await waitFor(() => relays().find((t) => t.includes('企业版多少钱一年')));
    expect(relay).toContain('直接发「回复 要说的话」');
    const first = Number(/#(\d+) 小周/.exec(relay)?.[1]);

    expect(await wecom.ask('zhangsan', '回复 您好，企业版每年 12000 元')).toBe(
      `已回复 #${first} 小周（微信客服）。`,
    );
    await waitFor(() => sends().length === 1);
    expect(sends()[0]).toMatchObject({ touser: FIRST, text: { content: '您好，企业版每年 12000 元' } });

    // A second customer is relayed: "回复 …" now could mean either, so it waits for a confirmation.
    h.clock.advance(MINUTE);
    await customerWrites(SECOND, '发货了吗？');
    const second = Number(
      /#(\d+) 老李/.exec(await waitFor(() => relays().find((t) => t.includes('老李'))))?.[1],
    );
    const asked = await wecom.ask('zhangsan', '回复 今天下午发出');
    expect(asked).toContain(`发给最近转来消息的客户 #${second} 老李`);
    expect(asked).toContain('今天下午发出');
    await new Promise((r) => setTimeout(r, 200));
    expect(sends()).toHaveLength(1);
    expect(await wecom.ask('zhangsan', '确认')).toBe(`已回复 #${second} 老李（微信客服）。`);
    await waitFor(() => sends().length === 2);
    expect(sends()[1]).toMatchObject({ touser: SECOND, text: { content: '今天下午发出' } });
    // Confirmed once: a second "确认" sends nothing more.
    expect(await wecom.ask('zhangsan', '确认')).toBe('没有待确认的操作。');

    // Naming the customer still works, and goes where it says.
    expect(await wecom.ask('zhangsan', `回复 #${first} 合同已发您邮箱`)).toBe(
      `已回复 #${first} 小周（微信客服）。`,
    );
    await waitFor(() => sends().length === 3);
    expect(sends()[2]).toMatchObject({ touser: FIRST });

    // Long after the relays, the text alone names nobody: nothing is sent, and the answer says how.
    h.clock.advance(11 * MINUTE);
    const late = await wecom.ask('zhangsan', '回复 在吗 今天能发货');
    expect(late).toContain('没有找到与「在吗」匹配的客户');
    expect(late).toContain('可直接发「回复 要说的话」');
    expect(await wecom.ask('zhangsan', '回复 在吗')).toContain('可直接发「回复 要说的话」');
    await new Promise((r) => setTimeout(r, 200));
    expect(sends()).toHaveLength(3);
  });
});
