import { afterEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type FakeDirectory, installDirectory, seedDirectory } from '../helpers/fake-wecom-directory.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const BY_USER = '/cgi-bin/externalcontact/batch/get_by_user';

interface Job {
  id: number;
  lastError: string | null;
  status: string;
  phase: string;
  unchanged: boolean;
  attempts: number;
  progress: Record<string, { done: number; total?: number }>;
  summary: Record<string, number>;
}

/** 2026-03-03 03:30 +08:00: inside the nightly reconciliation's window. */
const NIGHT = Date.UTC(2026, 2, 2, 19, 30);

describe.each(serverDialectsUnderTest())('WeCom directory sync on $name', (dialect) => {
  let h: Harness;
  let dir: FakeDirectory;
  const start = async (clockAt = FIXTURE_TIME) => {
    h = await startHarness(dialect, { wecom: true, clockAt, env: { NIGHTLY_SYNC: 'on' } });
    dir = installDirectory(h.wecom);
  };
  afterEach(async () => {
    await h?.close();
  });

  const startSync = async () => {
    const res = await h.api<Job>('/sync/wecom', undefined, { method: 'POST' });
    expect(res.status).toBe(202);
    return res.body;
  };
  const finished = (id: number, timeoutMs = 15_000) =>
    waitFor(async () => {
      const { body } = await h.api<Job>(`/sync/${id}`);
      return body.status === 'done' || body.status === 'failed' ? body : undefined;
    }, timeoutMs);
  const count = async (table: 'customers' | 'identities' | 'contact_relations' | 'customer_events') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const customerOf = async (externalId: string) => {
    const row = await h.db
      .selectFrom('identities')
      .select('customer_id')
      .where('external_id', '=', externalId)
      .executeTakeFirstOrThrow();
    return (
      await h.api<{
        name: string;
        phone: string | null;
        tags: Array<{ name: string }>;
        relations: Array<{ member: string; status: string; remark: string | null }>;
      }>(`/customers/${row.customer_id}`)
    ).body;
  };

  it('reads every page of every member, with remarks, phones, tags and groups, and a second run changes nothing', async () => {
    await start();
    seedDirectory(h.wecom, dir, { members: 5, contacts: 130 });
    dir.addGroup('wrGROUP1', 'rep01', '春季展会群', [
      { userid: 'rep01', type: 1 },
      { userid: 'wmSYNC00000000', type: 2, name: '客户0' },
      { userid: 'wmOUTSIDER', type: 2, name: '路人' },
    ]);
    const job = await startSync();
    const done = await finished(job.id);
    expect(done).toMatchObject({ status: 'done', phase: 'done', unchanged: false });
    expect(done.summary).toMatchObject({
      membersSeen: 5,
      membersAdded: 5,
      contactsSeen: 143, // every 10th customer is held by two members
      customersCreated: 130,
      customersUpdated: 0,
      groupsSeen: 1,
      groupsAdded: 1,
      groupMembersJoined: 3,
    });
    const pages = h.wecom.callsTo(BY_USER);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(
      pages.map((p) => (p.body as { cursor?: string }).cursor ?? '').filter((c) => c === ''),
    ).toHaveLength(1);
    expect(await count('customers')).toBe(131); // and the outsider from the group
    const shared = await customerOf('wmSYNC00000000');
    expect(shared).toMatchObject({ name: '客户0', phone: '13900000000' });
    expect(shared.tags.map((t) => t.name)).toEqual(['A级']);
    expect(shared.relations.map((r) => [r.member, r.status, r.remark]).sort()).toEqual([
      ['rep01', 'active', '客户0'],
      ['rep02', 'active', '共享0'],
    ]);
    const members = await h.db
      .selectFrom('chat_members as m')
      .innerJoin('chats as c', 'c.id', 'm.chat_id')
      .select(['m.member_key', 'm.customer_id', 'm.staff_id', 'c.title'])
      .orderBy('m.member_key')
      .execute();
    expect(members.map((m) => [m.member_key, m.customer_id !== null, m.staff_id !== null, m.title])).toEqual([
      ['rep01', false, true, '春季展会群'],
      ['wmOUTSIDER', true, false, '春季展会群'],
      ['wmSYNC00000000', true, false, '春季展会群'],
    ]);
    const events = await count('customer_events');

    const again = await finished((await startSync()).id);
    expect(again).toMatchObject({ status: 'done', unchanged: true });
    expect(again.summary).toMatchObject({
      customersCreated: 0,
      customersUpdated: 0,
      relationsLost: 0,
      groupMembersJoined: 0,
    });
    expect(await count('customers')).toBe(131);
    expect(await count('customer_events')).toBe(events);
    expect(await h.db.selectFrom('sync_contacts').selectAll().execute()).toEqual([]);

    // What changed on WeCom since is what the next run reports: a new remark, a lost relation.
    const c5 = dir.contacts.get('wmSYNC00000005');
    if (c5?.followers[0]) c5.followers[0].remark = '改过的备注';
    dir.contacts.get('wmSYNC00000010')?.followers.pop();
    const third = await finished((await startSync()).id);
    expect(third.summary).toMatchObject({ customersCreated: 0, customersUpdated: 2, relationsLost: 1 });
    expect((await customerOf('wmSYNC00000010')).relations.filter((r) => r.status === 'lost')).toHaveLength(1);
  }, 60_000);

  it('waits out a rate limit (45009) and carries on from the same page', async () => {
    await start();
    seedDirectory(h.wecom, dir, { members: 2, contacts: 120 });
    h.wecom.script(BY_USER, { body: { errcode: 45009, errmsg: 'api freq out of limit' } });
    const done = await finished((await startSync()).id);
    expect(done).toMatchObject({ status: 'done', attempts: 0 });
    expect(done.summary.customersCreated).toBe(120);
    const cursors = h.wecom.callsTo(BY_USER).map((p) => (p.body as { cursor?: string }).cursor ?? '');
    expect(cursors.slice(0, 2)).toEqual(['', '']); // refused, then the same page again
    expect(h.logs.some((l) => l.message === 'sync paused by a refusal, will retry')).toBe(true);
  }, 30_000);

  it('stops on a refusal that waiting cannot help, and carries on from its cursor when asked again', async () => {
    await start();
    seedDirectory(h.wecom, dir, { members: 2, contacts: 150 });
    let pages = 0;
    h.wecom.chaos = (call) =>
      call.path === BY_USER && ++pages === 2
        ? { body: { errcode: 60020, errmsg: 'not allow to access from your ip' } }
        : undefined;
    const job = await startSync();
    const failed = await finished(job.id);
    expect(failed).toMatchObject({
      status: 'failed',
      phase: 'contacts',
      lastError: expect.stringContaining('60020'),
    });
    const again = await startSync();
    expect(again.id).toBe(job.id);
    const done = await finished(job.id);
    expect(done.summary).toMatchObject({ contactsSeen: 165, customersCreated: 150 });
    const cursors = h.wecom.callsTo(BY_USER).map((p) => (p.body as { cursor?: string }).cursor ?? '');
    expect(cursors.filter((c) => c === '')).toHaveLength(1);
    expect(cursors[1]).toBe(cursors[2]);
  }, 30_000);

  it('resumes from its cursor after the process running it died, reading no page twice', async () => {
    await start();
    seedDirectory(h.wecom, dir, { members: 3, contacts: 250 });
    let pagesServed = 0;
    // The third page never answers: the process working on it is as good as dead.
    h.wecom.chaos = (call) => (call.path === BY_USER && ++pagesServed === 3 ? 'hang' : undefined);
    const job = await startSync();
    await waitFor(() => pagesServed >= 3, 10_000);
    const stuck = (await h.api<Job>(`/sync/${job.id}`)).body;
    expect(stuck).toMatchObject({ status: 'running', phase: 'contacts' });
    expect(stuck.progress.contacts?.done).toBe(200);
    await h.startAnother();
    h.clock.advance(10_000); // past the dead worker's lease
    const done = await finished(job.id, 20_000);
    expect(done.status).toBe('done');
    expect(done.summary).toMatchObject({ contactsSeen: 275, customersCreated: 250 });
    const cursors = h.wecom.callsTo(BY_USER).map((p) => (p.body as { cursor?: string }).cursor ?? '');
    // Pages 1 and 2 once; page 3 asked by the dead worker and again by the one that took over; then the rest.
    expect(cursors[2]).toBe(cursors[3]);
    expect(new Set(cursors).size).toBe(cursors.length - 1);
    expect(await count('customers')).toBe(250);
    expect(await count('identities')).toBe(250);
    expect(await count('contact_relations')).toBe(275);
    await h.wecom.close(); // lets the dead worker's hung call go, so the first process can stop
  }, 60_000);

  it('re-queues tag mirrors lost between a rule tag and its mirror, in the nightly reconciliation', async () => {
    await start(NIGHT - 60 * 60_000); // 02:30, before the window
    dir.members = ['zhangsan'];
    const tag = h.wecom.addCorpTagGroup('Liaison', ['高意向']).tag[0];
    dir.contacts.set('wmLOST', {
      external_userid: 'wmLOST',
      name: '丢了镜像',
      followers: [{ userid: 'zhangsan', remark: '' }],
    });
    const first = await finished((await startSync()).id);
    expect(first.summary.customersCreated).toBe(1);
    const identity = await h.db
      .selectFrom('identities')
      .select('customer_id')
      .where('external_id', '=', 'wmLOST')
      .executeTakeFirstOrThrow();
    const tagId = (
      await h.db
        .insertInto('tags')
        .values({ name: '高意向', group_name: null, created_at: h.clock.now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('id')
        .executeTakeFirst()
    )?.id;
    await h.db
      .insertInto('customer_tags')
      .values({
        customer_id: identity.customer_id,
        tag_id: Number(tagId),
        source: 'rule',
        source_ref: 'rule:intent',
        confidence: null,
        message_id: null,
        actor_staff_id: null,
        created_at: h.clock.now(),
        mirrored_at: null, // the process died before the mirror action was queued
      })
      .execute();
    expect(h.wecom.callsTo('/cgi-bin/externalcontact/mark_tag')).toEqual([]);
    h.clock.advance(61 * 60_000); // 03:31: the night's reconciliation
    const mark = await waitFor(() => h.wecom.callsTo('/cgi-bin/externalcontact/mark_tag')[0], 10_000);
    expect(mark.body).toMatchObject({ userid: 'zhangsan', external_userid: 'wmLOST', add_tag: [tag?.id] });
    await waitFor(async () => {
      const row = await h.db
        .selectFrom('customer_tags')
        .select('mirrored_at')
        .where('customer_id', '=', identity.customer_id)
        .executeTakeFirst();
      return row?.mirrored_at !== null;
    });
    const nightly = await h.db
      .selectFrom('sync_jobs')
      .selectAll()
      .where('requested_via', '=', 'system')
      .execute();
    expect(nightly).toHaveLength(1);
    h.clock.advance(30 * 60_000); // later the same night: nothing again
    await new Promise((r) => setTimeout(r, 300));
    expect(h.wecom.callsTo('/cgi-bin/externalcontact/mark_tag')).toHaveLength(1);
    expect(
      await h.db.selectFrom('sync_jobs').selectAll().where('requested_via', '=', 'system').execute(),
    ).toHaveLength(1);
  }, 30_000);

  it('runs no nightly reconciliation where NIGHTLY_SYNC is off', async () => {
    h = await startHarness(dialect, { wecom: true, clockAt: NIGHT - 60_000, env: { NIGHTLY_SYNC: 'off' } });
    dir = installDirectory(h.wecom);
    dir.members = ['zhangsan'];
    h.clock.advance(2 * 60_000); // 03:31, inside the window
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.db.selectFrom('sync_jobs').selectAll().execute()).toEqual([]);
    expect(h.wecom.callsTo('/cgi-bin/externalcontact/get_follow_user_list')).toEqual([]);
  });

  it('refuses a platform without a bulk directory', async () => {
    await start();
    expect((await h.api('/sync/telegram', undefined, { method: 'POST' })).status).toBe(409);
    expect((await h.api('/sync/999')).status).toBe(404);
  });
});
