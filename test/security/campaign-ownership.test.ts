import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { post } from '../campaigns/setup.ts';
import { type ChatDriver, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';

const ADMIN = '5234567890';
const MANAGER_A = '5430000001';
const MANAGER_B = '5430000002';

/** The API token is bound to team B's manager; team A's draft is theirs to keep. */
describe.each(serverDialectsUnderTest())('campaigns belong to their team on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  let draftId: number;
  const staffId = async (external: string) =>
    (
      await h.db
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('external_id', '=', external)
        .executeTakeFirstOrThrow()
    ).staff_id;

  beforeEach(async () => {
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { API_TOKEN_STAFF: `telegram:${MANAGER_B}` },
    });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 甲组');
    await chat.ask(ADMIN, '/team add 乙组');
    expect(await chat.ask(ADMIN, `/staff add telegram:${MANAGER_A} manager 甲组`)).toContain('现在是');
    expect(await chat.ask(ADMIN, `/staff add telegram:${MANAGER_B} manager 乙组`)).toContain('现在是');
    const managerA = await staffId(MANAGER_A);
    const teamA = await h.db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', '甲组')
      .executeTakeFirstOrThrow();
    const segment = await h.db
      .selectFrom('segments')
      .select('id')
      .where('builtin', '=', 1)
      .executeTakeFirstOrThrow();
    const now = FIXTURE_TIME;
    // Team A's draft, as team A's manager would have saved it ("legal has not approved this text").
    const row = await h.db
      .insertInto('campaigns')
      .values({
        name: '甲组草稿',
        segment_id: segment.id,
        text: '法务尚未审核',
        link_url: null,
        link_title: null,
        image: null,
        status: 'draft',
        scheduled_at: null,
        started_at: null,
        finished_at: null,
        holdout_pct: 0,
        window_days: 14,
        channel_code_id: null,
        created_by_staff_id: managerA,
        owner_team_id: teamA.id,
        scope_staff_id: managerA,
        lease_owner: null,
        lease_until: null,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    draftId = Number(row.id);
  });
  afterEach(async () => {
    await h.close();
  });

  it('hides another team’s campaign from a manager in the API and in chat, and lets nobody there change it', async () => {
    const listed = await h.api<{ items: Array<{ id: number }> }>('/campaigns');
    expect(listed.body.items.map((i) => i.id)).not.toContain(draftId);
    expect((await h.api(`/campaigns/${draftId}`)).status).toBe(404);
    expect((await h.api(`/campaigns/${draftId}/preview`)).status).toBe(404);
    expect((await h.api(`/campaigns/${draftId}/report`)).status).toBe(404);
    for (const verb of ['schedule', 'pause', 'resume', 'cancel'])
      expect((await post(h, `/campaigns/${draftId}/${verb}`)).status).toBe(404);
    expect(await chat.ask(MANAGER_B, '/campaign')).not.toContain('甲组草稿');
    for (const action of ['', ' 预览', ' 暂停', ' 取消'])
      expect(await chat.ask(MANAGER_B, `/campaign #${draftId}${action}`)).toContain('没有找到活动');
    const row = await h.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
    // Team A's own manager still reaches it.
    expect(await chat.ask(MANAGER_A, '/campaign')).toContain('甲组草稿');
    expect(await chat.ask(MANAGER_A, `/campaign #${draftId} 取消`)).toContain('取消');
    const after = await h.db
      .selectFrom('campaigns')
      .select('status')
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('cancelled');
  });

  it('gives a manager’s new campaign their team, which the other team then cannot see', async () => {
    const created = await post<{ id: number }>(h, '/campaigns', {
      name: '乙组活动',
      segment: 'dormant',
      text: 'hi',
    });
    expect(created.status).toBe(201);
    const row = await h.db
      .selectFrom('campaigns')
      .innerJoin('teams', 'teams.id', 'campaigns.owner_team_id')
      .select('teams.name')
      .where('campaigns.id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('乙组');
    expect(await chat.ask(MANAGER_A, '/campaign')).not.toContain('乙组活动');
  });
  it('keeps another team’s segment out of a manager’s reach: not listed, not read, not rewritten, not deleted', async () => {
    const teamA = await h.db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', '甲组')
      .executeTakeFirstOrThrow();
    const filter = JSON.stringify({ stages: ['lead'] });
    const row = await h.db
      .insertInto('segments')
      .values({
        name: '甲组分群',
        description: null,
        filter,
        builtin: 0,
        created_by_staff_id: await staffId(MANAGER_A),
        owner_team_id: teamA.id,
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    const listed = await h.api<{ items: Array<{ id: number }> }>('/segments');
    expect(listed.body.items.map((i) => i.id)).not.toContain(id);
    expect(listed.body.items.length).toBeGreaterThan(0); // the built-ins
    expect((await h.api(`/segments/${id}`)).status).toBe(404);
    const patch = await h.api(`/segments/${id}`, undefined, {
      method: 'PATCH',
      body: JSON.stringify({ filter: { stages: ['won'] } }),
    });
    expect(patch.status).toBe(404);
    expect((await h.api(`/segments/${id}`, undefined, { method: 'DELETE' })).status).toBe(404);
    expect(await chat.ask(MANAGER_B, '/segment')).not.toContain('甲组分群');
    const after = await h.db.selectFrom('segments').select('filter').where('id', '=', id).executeTakeFirst();
    expect(after?.filter).toBe(filter);
    expect(await chat.ask(MANAGER_A, '/segment')).toContain('甲组分群');
  });
  it('lets a manager deactivate only their own team’s channel codes', async () => {
    const teamA = await h.db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', '甲组')
      .executeTakeFirstOrThrow();
    const row = await h.db
      .insertInto('channel_codes')
      .values({
        code: 'jiazu-expo',
        name: '甲组展会',
        kind: 'event',
        platform: 'telegram',
        workspace: 'x',
        campaign_id: null,
        staff_id: null,
        referrer_customer_id: null,
        platform_ref: null,
        link: null,
        active: 1,
        created_by_staff_id: await staffId(MANAGER_A),
        owner_team_id: teamA.id,
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const refused = await h.api(`/channels/${row.id}`, undefined, { method: 'DELETE' });
    expect(refused.status).toBe(404);
    const after = await h.db
      .selectFrom('channel_codes')
      .select('active')
      .where('id', '=', row.id)
      .executeTakeFirst();
    expect(after?.active).toBe(1);
  });
});
