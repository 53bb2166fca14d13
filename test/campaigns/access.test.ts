import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { post } from './setup.ts';

const ADMIN = '5234567890';
const REP = '7400000001';

describe.each(serverDialectsUnderTest())('who may run campaigns on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: { API_TOKEN_STAFF: `telegram:${REP}` } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses reps, in the API (403) and in chat', async () => {
    const chat = telegramDriver(h);
    expect(await chat.ask(ADMIN, `/staff add telegram:${REP} rep`)).toContain(REP);
    expect((await h.api('/campaigns')).status).toBe(403);
    expect((await post(h, '/campaigns', { name: 'x', segment: 'dormant', text: 'hi' })).status).toBe(403);
    expect((await post(h, '/campaigns/1/pause')).status).toBe(403);
    expect(await chat.ask(REP, '/campaign')).toContain('只有经理及以上');
    expect(await h.db.selectFrom('campaigns').selectAll().execute()).toEqual([]);
  });

  it('reads the segment in the token’s scope: a manager’s campaign records whose scope it uses', async () => {
    const chat = telegramDriver(h);
    await chat.ask(ADMIN, `/staff add telegram:${REP} manager`);
    const r = await post<{ id: number }>(h, '/campaigns', {
      name: '经理的活动',
      segment: 'dormant',
      text: 'hi',
    });
    expect(r.status).toBe(201);
    const row = await h.db
      .selectFrom('campaigns')
      .innerJoin('staff', 'staff.id', 'campaigns.scope_staff_id')
      .select(['staff.role', 'campaigns.created_by_staff_id', 'campaigns.scope_staff_id'])
      .executeTakeFirstOrThrow();
    expect(row.role).toBe('manager');
    expect(row.created_by_staff_id).toBe(row.scope_staff_id);
  });
});
