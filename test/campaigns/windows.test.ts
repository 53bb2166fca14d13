import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramCustomer } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { postWecom, wecomXml } from '../helpers/wecom-callbacks.ts';
import { newCampaign, newSegment, type PreviewView, post, untilStatus } from './setup.ts';

const HOUR = 3_600_000;
const TEXT = '新会员日：全场满减';
const telegramFixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/telegram/${name}`, import.meta.url), 'utf8')) as unknown;

describe.each(serverDialectsUnderTest())('platform windows for campaigns on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: FIXTURE_TIME });
  });
  afterEach(async () => {
    await h.close();
  });

  const customerOf = (platform: 'telegram' | 'wecom', externalId: string) =>
    waitFor(
      () =>
        h.db
          .selectFrom('identities')
          .select('customer_id')
          .where('platform', '=', platform)
          .where('external_id', '=', externalId)
          .executeTakeFirst(),
      10_000,
    );

  it('skips Telegram Business chats after 24 h and WeChat Customer Service after 48 h as outside_window', async () => {
    // A Telegram Business customer (writes to 张三's business account), a 微信客服 customer, a private-chat customer.
    expect((await h.postUpdate(telegramFixture('update-business-connection.json'))).status).toBe(200);
    // The connection is known before its first message is handled (as with Telegram's order of updates).
    await waitFor(() => h.db.selectFrom('platform_connections').select('id').executeTakeFirst(), 10_000);
    expect((await h.postUpdate(telegramFixture('update-business-message.json'))).status).toBe(200);
    await customerOf('telegram', '6345678901');
    h.wecom.kfPages.push(FakeWecom.kfSyncFixture());
    expect((await postWecom(h, wecomXml('event-kf-msg-or-event.xml'))).status).toBe(200);
    await customerOf('wecom', 'wmEAlECwAA9cGn4mHkR7bVdzT2xYqPAA');
    await telegramCustomer(h, '7300000001', '私聊客户');

    const segment = await newSegment(h, 'everyone', {});
    const campaign = await newCampaign(h, { name: '会员日', segment, text: TEXT });
    const preview = async () => (await post<PreviewView>(h, `/campaigns/${campaign.id}/preview`)).body;

    const open = await preview();
    expect(open).toMatchObject({
      segmentSize: 3,
      skipped: { outside_window: 0 },
      reachable: { total: 3, byPlatform: { telegram: 2, wecom: 1 } },
    });
    // 微信客服 takes text only.
    expect(open.shownAs).toContainEqual({ route: 'chat', platform: 'wecom', text: TEXT, attachments: [] });

    h.clock.advance(25 * HOUR);
    expect(await preview()).toMatchObject({ skipped: { outside_window: 1 }, reachable: { total: 2 } });

    h.clock.advance(24 * HOUR);
    const closed = await preview();
    expect(closed).toMatchObject({
      skipped: { outside_window: 2, no_channel: 0 },
      reachable: { total: 1, byPlatform: { telegram: 1 } },
    });

    await post(h, `/campaigns/${campaign.id}/schedule`);
    const done = await untilStatus(h, campaign.id, 'done');
    expect(done.recipients.byReason).toEqual({ outside_window: 2 });
    expect(done.recipients.byStatus).toEqual({ skipped: 2, delivered: 1 });
    const sent = h.telegram.callsTo('sendMessage').filter((c) => String(c.body.text).startsWith(TEXT));
    expect(sent.map((c) => [String(c.body.chat_id), c.body.business_connection_id])).toEqual([
      ['7300000001', undefined],
    ]);
    expect(h.wecom.callsTo('/cgi-bin/kf/send_msg')).toEqual([]);
    expect(closed.reachable.total).toBe(done.recipients.byStatus.delivered);
  });
});
