import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import {
  type CampaignView,
  campaignOf,
  newCampaign,
  newSegment,
  post,
  recipients,
  settle,
  untilStatus,
} from './setup.ts';

const MIN = 60_000;
const TEXT = '周年庆：到店即送礼品';
const MANAGER = '5234567890';

describe.each(serverDialectsUnderTest())('campaign lifecycle on $name', (dialect) => {
  let h: Harness;
  let segment: number;
  let customers: number[];
  const users = ['7200000001', '7200000002', '7200000003'];
  beforeEach(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME });
    customers = [];
    for (const [i, u] of users.entries()) customers.push(await telegramCustomer(h, u, `顾客${i}`));
    segment = await newSegment(h, 'tg', { platforms: ['telegram'] });
  });
  afterEach(async () => {
    await h.close();
  });

  const sends = () => h.telegram.callsTo('sendMessage').filter((c) => String(c.body.text).startsWith(TEXT));
  /** Another instance holds the campaign's lease (it is dispatching it, or died doing so). */
  const leasedElsewhere = (id: number) =>
    h.db
      .updateTable('campaigns')
      .set({ lease_owner: 'another-instance', lease_until: h.clock.now() + 10 * MIN })
      .where('id', '=', id)
      .execute();
  /** What that instance did before it died: the snapshot of the segment, nobody sent to yet. */
  const snapshotElsewhere = async (id: number) => {
    const now = h.clock.now();
    await h.db
      .insertInto('campaign_recipients')
      .values(
        customers.map((c) => ({
          campaign_id: id,
          customer_id: c,
          status: 'pending' as const,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await h.db.updateTable('campaigns').set({ started_at: now }).where('id', '=', id).execute();
  };

  it('starts a scheduled campaign at its time on the clock, not before', async () => {
    const at = new Date(h.clock.now() + 2 * 60 * MIN).toISOString();
    const c = await newCampaign(h, { name: '周年庆', segment, text: TEXT, scheduledAt: at });
    expect(c).toMatchObject({ status: 'scheduled', scheduledAt: at });
    await settle();
    expect((await campaignOf(h, c.id)).status).toBe('scheduled');
    expect(sends()).toEqual([]);
    h.clock.advance(2 * 60 * MIN + MIN);
    const done = await untilStatus(h, c.id, 'done');
    expect(done.recipients.byStatus).toEqual({ delivered: 3 });
    expect(
      sends()
        .map((s) => String(s.body.chat_id))
        .sort(),
    ).toEqual(users);
  });

  it('sends once per customer with two instances dispatching the same database', async () => {
    await h.startAnother();
    const c = await newCampaign(h, { name: '周年庆', segment, text: TEXT });
    expect((await post(h, `/campaigns/${c.id}/schedule`)).status).toBe(200);
    const done = await untilStatus(h, c.id, 'done');
    expect(done.recipients.byStatus).toEqual({ delivered: 3 });
    expect(
      sends()
        .map((s) => String(s.body.chat_id))
        .sort(),
    ).toEqual(users);
    const launches = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'campaign.launch')
      .execute();
    expect(launches).toHaveLength(1);
  });

  it('never dispatches a campaign another instance holds the lease of; pause stops new batches and resume continues', async () => {
    const c = await newCampaign(h, { name: '周年庆', segment, text: TEXT });
    await leasedElsewhere(c.id);
    expect((await post(h, `/campaigns/${c.id}/schedule`)).status).toBe(200);
    await untilStatus(h, c.id, 'running');
    await settle();
    expect((await recipients(h, c.id)).size).toBe(0);
    await snapshotElsewhere(c.id);
    const paused = await post<CampaignView>(h, `/campaigns/${c.id}/pause`);
    expect(paused).toMatchObject({ status: 200, body: { status: 'paused' } });
    h.clock.advance(11 * MIN); // the other instance's lease runs out
    await settle();
    expect(sends()).toEqual([]);
    expect((await campaignOf(h, c.id)).recipients.byStatus).toEqual({ pending: 3 });
    expect((await post(h, `/campaigns/${c.id}/pause`)).status).toBe(409);
    const resumed = await post<CampaignView>(h, `/campaigns/${c.id}/resume`);
    expect(resumed.body.status).toBe('running');
    const done = await untilStatus(h, c.id, 'done');
    expect(done.recipients.byStatus).toEqual({ delivered: 3 });
    expect(sends()).toHaveLength(3);
  });

  it('cancel leaves nothing pending and sends nothing; a cancelled campaign cannot be paused, resumed or scheduled', async () => {
    const c = await newCampaign(h, { name: '周年庆', segment, text: TEXT });
    await leasedElsewhere(c.id);
    await post(h, `/campaigns/${c.id}/schedule`);
    await untilStatus(h, c.id, 'running');
    await snapshotElsewhere(c.id);
    const cancelled = await post<CampaignView>(h, `/campaigns/${c.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', recipients: { byStatus: { cancelled: 3 } } });
    h.clock.advance(11 * MIN);
    await settle();
    expect(sends()).toEqual([]);
    expect([...(await recipients(h, c.id)).values()].map((r) => r.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    for (const verb of ['pause', 'resume', 'cancel', 'schedule']) {
      const r = await post<{ error: string }>(h, `/campaigns/${c.id}/${verb}`);
      expect(r.status, verb).toBe(409);
      expect(r.body.error).toContain('cancelled');
    }
    const audited = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_kind', '=', 'campaign')
      .execute();
    expect(audited.map((a) => a.action)).toEqual(['campaign.create', 'campaign.schedule', 'campaign.cancel']);
  });

  it('answers clear errors', async () => {
    const base = { name: '周年庆', segment, text: TEXT };
    const cases: Array<[Record<string, unknown>, number, string | undefined]> = [
      [{ ...base, segment: 9999 }, 404, 'segment'],
      [{ ...base, segment: 'no-such-segment' }, 404, 'segment'],
      [{ ...base, holdoutPct: 60 }, 400, 'holdoutPct'],
      [{ ...base, windowDays: 0 }, 400, 'windowDays'],
      [{ ...base, image: 'R0lGODlhAQABAAAAACw=' }, 400, 'image'],
      [{ ...base, name: '2026' }, 400, 'name'],
      [{ ...base, text: '' }, 400, 'text'],
      [{ ...base, link: { title: 'x', url: 'not a url' } }, 400, 'link.url'],
      [{ ...base, scheduledAt: 'tomorrow' }, 400, 'scheduledAt'],
      [{ ...base, colour: 'red' }, 400, 'colour'],
    ];
    for (const [body, status, field] of cases) {
      const r = await post<{ field?: string }>(h, '/campaigns', body);
      expect([r.status, r.body.field], JSON.stringify(body)).toEqual([status, field]);
    }
    const c = await newCampaign(h, {
      ...base,
      image:
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    });
    expect(c).toMatchObject({ status: 'draft' });
    expect((await post(h, '/campaigns', base)).status).toBe(409);
    expect((await h.api('/campaigns/9999')).status).toBe(404);
    for (const verb of ['preview', 'schedule', 'pause', 'resume', 'cancel'])
      expect((await post(h, `/campaigns/9999/${verb}`)).status, verb).toBe(404);
    expect((await post(h, `/campaigns/${c.id}/pause`)).status).toBe(409);
    expect((await post(h, `/campaigns/${c.id}/resume`)).status).toBe(409);
    expect((await post(h, `/campaigns/${c.id}/schedule`, { at: 'soon' })).status).toBe(400);
    const list = await h.api<{ items: CampaignView[] }>('/campaigns');
    expect(list.body.items.map((i) => i.name)).toEqual(['周年庆']);
  });

  it('/campaign lists, previews, reports and changes campaigns in the asker’s language', async () => {
    const c = await newCampaign(h, { name: '周年庆', segment, text: TEXT });
    const chat = telegramDriver(h);
    expect(await chat.ask(MANAGER, '/campaign')).toContain(`#${c.id} 周年庆 · 草稿 · 已触达 0/0`);
    expect(await chat.ask(MANAGER, '/campaign 周年庆 预览')).toContain('分群人数 3，对照组 0');
    expect(await chat.ask(MANAGER, '/campaign 周年庆 preview', 'en')).toContain('Reachable 3: chat 3');
    expect(await chat.ask(MANAGER, '/活动 周年庆 暂停')).toContain('当前草稿，不能暂停');
    expect(await chat.ask(MANAGER, `/campaign #${c.id} cancel`, 'en')).toContain('cancelled');
    expect((await campaignOf(h, c.id)).status).toBe('cancelled');
    expect(await chat.ask(MANAGER, '/campaign 周年庆')).toContain('周年庆');
    expect(await chat.ask(MANAGER, '/campaign 没有这个')).toContain('没有找到活动');
    const audited = await h.db
      .selectFrom('audit_log')
      .select(['action', 'via'])
      .where('subject_kind', '=', 'campaign')
      .orderBy('id')
      .execute();
    expect(audited.at(-1)).toEqual({ action: 'campaign.cancel', via: 'telegram' });
  });
});
