import { afterEach, describe, expect, it } from 'vitest';
import { askInTelegramGroup, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { feishuFixture } from '../helpers/fake-feishu.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const [sqlite] = serverDialectsUnderTest();
const ADMIN = '5123456789';
const TG_GROUP = -1001950000001;
const FEISHU_GROUP = 'oc_c23ec10b81f66f74211dafde2e23c238';
const WECOM_CHAT = 'wrDigestChat01';
const HOUR = 3_600_000;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** The morning digest reaches every kind of target with its chart, within each platform's limits. */
describe('digest delivery', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('goes to Telegram, Feishu and WeCom groups and robots with the chart, each within its limits', async () => {
    h = await startHarness(sqlite!, { clockAt: FIXTURE_TIME, wecom: true, feishu: true });
    const chat = telegramDriver(h);
    for (let i = 0; i < 12; i++)
      await telegramCustomer(h, String(7950000000 + i), `客户${i}`, i % 3 ? '你好' : '多少钱？');
    expect(await askInTelegramGroup(h, ADMIN, TG_GROUP, '/digest on')).toContain('已订阅');
    const bot = feishuFixture('custom-bot-webhook-signed.json') as { hookToken: string; secret: string };
    const subscribe = (body: object) =>
      h.api<{ id: number }>('/digests/subscriptions', undefined, {
        method: 'POST',
        body: JSON.stringify(body),
      });
    for (const body of [
      { platform: 'feishu', target: { kind: 'chat', ref: FEISHU_GROUP } },
      {
        platform: 'feishu',
        target: {
          kind: 'robot',
          ref: `${h.feishu.domain}/open-apis/bot/v2/hook/${bot.hookToken}`,
          secret: bot.secret,
        },
      },
      {
        platform: 'wecom',
        target: { kind: 'robot', ref: `${h.wecom.apiBase}/cgi-bin/webhook/send?key=robot-key-1` },
      },
      { platform: 'wecom', target: { kind: 'chat', ref: WECOM_CHAT }, language: 'en' },
    ]) {
      expect((await subscribe(body)).status).toBe(201);
    }
    const listed = await h.api<{ items: Array<{ target: { ref: string } }> }>('/digests/subscriptions');
    expect(JSON.stringify(listed.body)).not.toContain(bot.secret);
    expect(JSON.stringify(listed.body)).not.toContain('robot-key-1');
    expect((await subscribe({ platform: 'wecom', target: { kind: 'robot' } })).status).toBe(400);

    h.clock.advance(23 * HOUR); // Tuesday 09:15
    const tgText = await waitFor(
      () =>
        h.telegram
          .callsTo('sendMessage')
          .find((c) => Number(c.body.chat_id) === TG_GROUP && String(c.body.text).startsWith('📊')),
      10_000,
    );
    expect(String(tgText.body.text).length).toBeLessThanOrEqual(4096);
    expect(String(tgText.body.text)).toContain('新客户: 12 (telegram 12)');
    await waitFor(
      () => h.telegram.callsTo('sendPhoto').find((c) => Number(c.body.chat_id) === TG_GROUP),
      10_000,
    );

    const feishuCard = await waitFor(
      () => h.feishu.deliveries.find((d) => d.via === 'create' && d.chatOrMessageId === FEISHU_GROUP),
      10_000,
    );
    expect(JSON.stringify(feishuCard.content)).toContain('img_key');
    expect(Buffer.byteLength(JSON.stringify(feishuCard.content))).toBeLessThanOrEqual(30 * 1024);
    const hook = await waitFor(() => h.feishu.deliveries.find((d) => d.via === 'hook'), 10_000);
    expect(Buffer.byteLength(JSON.stringify(hook.content))).toBeLessThanOrEqual(20 * 1024);

    const robot = await waitFor(() => {
      const calls = h.wecom
        .callsTo('/cgi-bin/webhook/send')
        .map(
          (c) => c.body as { msgtype: string; markdown?: { content: string }; image?: { base64: string } },
        );
      return calls.some((c) => c.msgtype === 'image') ? calls : undefined;
    }, 10_000);
    for (const c of robot.filter((x) => x.msgtype === 'markdown'))
      expect(Buffer.byteLength(c.markdown?.content ?? '')).toBeLessThanOrEqual(4096);
    const png = Buffer.from(robot.find((c) => c.msgtype === 'image')?.image?.base64 ?? '', 'base64');
    expect([...png.subarray(0, 4)]).toEqual(PNG_SIGNATURE);

    const appchat = await waitFor(() => {
      const calls = h.wecom
        .callsTo('/cgi-bin/appchat/send')
        .map((c) => c.body as { chatid: string; msgtype: string; markdown?: { content: string } });
      return calls.some((c) => c.msgtype === 'image') ? calls : undefined;
    }, 10_000);
    expect(appchat[0]).toMatchObject({ chatid: WECOM_CHAT, msgtype: 'markdown' });
    expect(appchat[0]?.markdown?.content).toContain('Customer digest'); // subscribed in English

    // Once each: nothing more in the next hour, and the five runs are recorded.
    h.clock.advance(HOUR);
    await new Promise((r) => setTimeout(r, 500));
    expect(
      h.telegram
        .callsTo('sendMessage')
        .filter((c) => Number(c.body.chat_id) === TG_GROUP && String(c.body.text).startsWith('📊')),
    ).toHaveLength(1);
    expect(await h.db.selectFrom('digest_runs').select('status').execute()).toHaveLength(5);
    expect(chat.sentTo(ADMIN).some((t) => t.startsWith('📊'))).toBe(false);
  });

  it('sends the weekly report on Monday morning', async () => {
    h = await startHarness(sqlite!, { clockAt: FIXTURE_TIME });
    await telegramCustomer(h, '7950000100', '周客户');
    await askInTelegramGroup(h, ADMIN, TG_GROUP, '/digest weekly on');
    const weekly = () =>
      h.telegram.callsTo('sendMessage').filter((c) => String(c.body.text).startsWith('📊 客户周报'));
    h.clock.advance(5 * 24 * HOUR); // Saturday
    await new Promise((r) => setTimeout(r, 400));
    expect(weekly()).toHaveLength(0);
    h.clock.advance(47 * HOUR); // the next Monday 09:15
    await waitFor(() => weekly().length === 1, 10_000);
    expect(String(weekly()[0]?.body.text)).toContain('新客户: 1 (telegram 1)'); // within the 7 days before Monday 09:15
  });
});
