import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inHoldout } from '../../src/core/marketing/campaigns/audience.ts';
import { reserveOutreach } from '../../src/core/marketing/outreach/outreach.ts';
import { telegramCustomer } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';
import { newCampaign, newSegment, type PreviewView, post, recipients, untilStatus } from './setup.ts';

const DAY = 86_400_000;
const TEXT = '春季新品上市，老客户专享九折';

describe.each(serverDialectsUnderTest())('a campaign to Telegram customers on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: { OUTREACH_FREQUENCY_CAP: '1/7d' } });
  });
  afterEach(async () => {
    await h.close();
  });

  const campaignSendsTo = (chatId: number) =>
    h.telegram
      .callsTo('sendMessage')
      .filter((c) => Number(c.body.chat_id) === chatId && String(c.body.text).startsWith(TEXT));

  it('sends exactly once to everyone but the do-not-contact, capped and holdout members, through a retry and a restart', async () => {
    const users = Array.from({ length: 10 }, (_, i) => 7_100_000_001 + i);
    const ids = new Map<number, number>();
    for (const [i, u] of users.entries()) ids.set(u, await telegramCustomer(h, String(u), `客户${i}`));
    const customerOf = (u: number) => ids.get(u) as number;
    const [dnc1, dnc2, capped, oldOutreach] = users.slice(1, 5) as [number, number, number, number];
    for (const u of [dnc1, dnc2]) {
      const r = await h.api(`/customers/${customerOf(u)}/do-not-contact`, undefined, {
        method: 'PUT',
        body: JSON.stringify({ doNotContact: true }),
      });
      expect(r.status).toBe(200);
    }
    const now = h.clock.now();
    // Inside the 1-per-7-days cap: an SOP message yesterday. Outside it: one eight days ago.
    await h.db
      .insertInto('customer_outreach')
      .values([
        {
          customer_id: customerOf(capped),
          kind: 'sop',
          ref: 'sop:1',
          outreach_key: 'sop:1:0',
          at: now - DAY,
        },
        {
          customer_id: customerOf(oldOutreach),
          kind: 'sop',
          ref: 'sop:1',
          outreach_key: 'sop:2:0',
          at: now - 8 * DAY,
        },
      ])
      .execute();
    const segment = await newSegment(h, 'telegram-all', { platforms: ['telegram'], doNotContact: 'include' });
    const campaign = await newCampaign(h, {
      name: '春季促销',
      segment,
      text: TEXT,
      link: { title: '活动详情', url: 'https://example.com/spring' },
      holdoutPct: 30,
    });
    expect(campaign.status).toBe('draft');

    const members = users.map(customerOf);
    const holdout = members.filter((c) => inHoldout(campaign.id, c, 30));
    expect(holdout.length).toBeGreaterThan(0);
    const dnc = [dnc1, dnc2].map(customerOf).filter((c) => !holdout.includes(c));
    const cap = [customerOf(capped)].filter((c) => !holdout.includes(c));
    const reached = members.filter((c) => !holdout.includes(c) && !dnc.includes(c) && !cap.includes(c));

    const preview = await post<PreviewView>(h, `/campaigns/${campaign.id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      segmentSize: 10,
      holdout: holdout.length,
      skipped: { do_not_contact: dnc.length, frequency_cap: cap.length, no_channel: 0, outside_window: 0 },
      reachable: {
        total: reached.length,
        byRoute: { chat: reached.length, wecom_template: 0 },
        byPlatform: { telegram: reached.length },
      },
    });
    expect(preview.body.shownAs).toEqual([
      {
        route: 'chat',
        platform: 'telegram',
        text: `${TEXT}\n\n活动详情 https://example.com/spring`,
        attachments: [],
      },
    ]);
    // The preview wrote nothing.
    expect(await h.db.selectFrom('campaign_recipients').selectAll().execute()).toEqual([]);
    expect(h.telegram.callsTo('sendMessage').filter((c) => String(c.body.text).startsWith(TEXT))).toEqual([]);

    // The first sends fail: a server error, then a rate limit.
    h.telegram.script(
      'sendMessage',
      { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } },
      {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 2',
          parameters: { retry_after: 2 },
        },
      },
    );
    expect((await post(h, `/campaigns/${campaign.id}/schedule`)).status).toBe(200);
    await waitFor(async () => {
      const queued = [...(await recipients(h, campaign.id)).values()].filter((r) => r.status !== 'pending');
      return queued.length === members.length;
    }, 10_000);
    // A crash between queueing a send and marking its recipient: the recipient is pending again after the restart.
    await h.stop();
    const oneQueued = reached[0] as number;
    await h.db
      .updateTable('campaign_recipients')
      .set({ status: 'pending', route: null, outbox_key: null })
      .where('campaign_id', '=', campaign.id)
      .where('customer_id', '=', oneQueued)
      .execute();
    await h.restart();

    const done = await untilStatus(h, campaign.id, 'done', undefined, 15_000);
    expect(done.recipients.byStatus).toEqual({
      holdout: holdout.length,
      delivered: reached.length,
      ...(dnc.length + cap.length > 0 ? { skipped: dnc.length + cap.length } : {}),
    });
    expect(done.recipients.byReason).toEqual({
      ...(dnc.length ? { do_not_contact: dnc.length } : {}),
      ...(cap.length ? { frequency_cap: cap.length } : {}),
    });
    // Everyone reached got the message once (the timeline has one copy), nobody else got it.
    for (const u of users) {
      const c = customerOf(u);
      const timeline = await h.db
        .selectFrom('messages')
        .select('text')
        .where('customer_id', '=', c)
        .where('direction', '=', 'out')
        .execute();
      expect(timeline.map((m) => m.text.startsWith(TEXT)).filter(Boolean).length, `customer ${c}`).toBe(
        reached.includes(c) ? 1 : 0,
      );
      if (!reached.includes(c)) expect(campaignSendsTo(u)).toEqual([]);
    }
    const attempts = h.telegram.callsTo('sendMessage').filter((c) => String(c.body.text).startsWith(TEXT));
    expect(attempts.length).toBe(reached.length + 2);
    // Each reach counts against the cap once, under the campaign's key.
    const outreach = await h.db
      .selectFrom('customer_outreach')
      .select(['customer_id', 'outreach_key'])
      .where('kind', '=', 'campaign')
      .orderBy('customer_id')
      .execute();
    expect(outreach).toEqual(
      reached.map((c) => ({ customer_id: c, outreach_key: `campaign:${campaign.id}:${c}` })),
    );
    // The preview's figures are what the launch did.
    expect(preview.body.reachable.total).toBe(done.recipients.byStatus.delivered);
    expect(preview.body.holdout).toBe(done.recipients.byStatus.holdout);
    // The campaign is marked done a moment before its audit entry is written.
    const audited = await waitFor(async () => {
      const rows = await h.db
        .selectFrom('audit_log')
        .select('action')
        .where('subject_kind', '=', 'campaign')
        .orderBy('id')
        .execute();
      return rows.some((r) => r.action === 'campaign.done') ? rows : null;
    });
    expect(audited.map((a) => a.action)).toEqual([
      'campaign.create',
      'campaign.schedule',
      'campaign.launch',
      'campaign.done',
    ]);
  });

  it('never goes over the cap when campaigns and SOP steps claim the same customer at the same moment', async () => {
    const customerId = await telegramCustomer(h, '7100000099', '并发客户');
    await waitFor(() =>
      h.db.selectFrom('chats').select('id').where('customer_id', '=', customerId).executeTakeFirst(),
    );
    const core = h.server.liaison.core;
    const now = h.clock.now();
    // Eight outreach attempts at once (two instances running two campaigns and SOPs): the cap is 1 per 7 days.
    const decisions = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        reserveOutreach(
          core,
          { customerId, kind: i % 2 ? 'sop' : 'campaign', ref: `race:${i}`, key: `race:${i}`, at: now },
          now,
        ),
      ),
    );
    expect(decisions.filter((d) => d.ok)).toHaveLength(1);
    expect(decisions.filter((d) => !d.ok).map((d) => (d.ok ? '' : d.reason))).toEqual(
      Array(7).fill('frequency_cap'),
    );
    const rows = await h.db.selectFrom('customer_outreach').select('outreach_key').execute();
    expect(rows).toHaveLength(1);
    // The winner retrying (a crash before it queued the send) is still allowed: its claim is its own.
    const winner = rows[0]?.outreach_key as string;
    const again = await reserveOutreach(
      core,
      { customerId, kind: 'campaign', ref: winner, key: winner, at: now + 1000 },
      now + 1000,
    );
    expect(again.ok).toBe(true);
  });
});
