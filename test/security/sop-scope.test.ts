import { afterEach, describe, expect, it } from 'vitest';
import { type ChatDriver, telegramCustomer, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const ADMIN = '5123456789';
const MANAGER_A = '5440000001';
const REP_A = '5440000002';
const MANAGER_B = '5440000003';
const REP_B = '5440000004';
const CUSTOMER_A = '7440000001';
const CUSTOMER_B = '7440000002';
const settle = (ms = 1_500) => new Promise((r) => setTimeout(r, ms));

const toChat = (h: Harness, id: string) =>
  h.telegram
    .callsTo('sendMessage')
    .filter((c) => String(c.body.chat_id) === id)
    .map((c) => String(c.body.text));

/** The API token is bound to team B's manager, who creates the SOP. */
describe.each(serverDialectsUnderTest())('SOPs stay in their creator’s scope on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  afterEach(async () => {
    await h?.close();
  });

  async function org() {
    h = await startHarness(dialect, {
      clockAt: FIXTURE_TIME,
      env: { API_TOKEN_STAFF: `telegram:${MANAGER_B}` },
    });
    chat = telegramDriver(h);
    await chat.ask(ADMIN, '/team add 甲组');
    await chat.ask(ADMIN, '/team add 乙组');
    for (const line of [
      `/staff add telegram:${MANAGER_A} manager 甲组`,
      `/staff add telegram:${REP_A} rep 甲组`,
      `/staff add telegram:${MANAGER_B} manager 乙组`,
      `/staff add telegram:${REP_B} rep 乙组`,
    ])
      expect(await chat.ask(ADMIN, line)).toContain('现在是');
    const a = await telegramCustomer(h, CUSTOMER_A, '甲组客户');
    const b = await telegramCustomer(h, CUSTOMER_B, '乙组客户');
    await chat.ask(ADMIN, `/assign #${a} telegram:${REP_A}`);
    await chat.ask(ADMIN, `/assign #${b} telegram:${REP_B}`);
    const created = await h.api('/sops', undefined, {
      method: 'POST',
      body: JSON.stringify({
        name: '乙组跟进',
        trigger: { kind: 'tag', value: '试用' },
        steps: [
          { after: {}, action: 'message', text: '乙组的欢迎语' },
          { after: {}, action: 'remind', text: '乙组的提醒' },
        ],
      }),
    });
    expect(created.status).toBe(201);
    return { a, b };
  }

  it('never messages another team’s customer nor reminds their owner, and still serves its own team', async () => {
    const { a, b } = await org();
    expect(await chat.ask(REP_A, `/tag #${a} 试用`)).toContain('试用');
    expect(await chat.ask(REP_B, `/tag #${b} 试用`)).toContain('试用');
    await waitFor(() => toChat(h, CUSTOMER_B).includes('乙组的欢迎语'), 15_000);
    await settle();
    expect(toChat(h, CUSTOMER_A)).not.toContain('乙组的欢迎语');
    expect(toChat(h, REP_A).some((t) => t.includes('乙组的提醒'))).toBe(false);
    const enrolled = await h.db.selectFrom('sop_enrollments').select('customer_id').execute();
    expect(enrolled.map((e) => Number(e.customer_id))).toEqual([b]);
  });

  it('stops when its creator loses the role, and tells the admins once', async () => {
    const { a } = await org();
    expect(await chat.ask(ADMIN, `/staff add telegram:${MANAGER_B} rep 乙组`)).toContain('现在是销售');
    await chat.ask(MANAGER_A, `/tag #${a} 试用`);
    const told = () => toChat(h, ADMIN).filter((t) => t.includes('乙组跟进') && t.includes('已停止'));
    await waitFor(() => told().length === 1, 15_000);
    await settle();
    expect(told()).toHaveLength(1);
    const sop = await h.db.selectFrom('sops').select(['active', 'stop_reason']).executeTakeFirstOrThrow();
    expect(sop).toEqual({ active: 0, stop_reason: 'owner_gone' });
    expect(toChat(h, CUSTOMER_A)).not.toContain('乙组的欢迎语');
  });
  it('hides another team’s SOP from a manager’s token, who can neither read nor pause it', async () => {
    await org();
    const managerA = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('external_id', '=', MANAGER_A)
      .executeTakeFirstOrThrow();
    const teamA = await h.db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', '甲组')
      .executeTakeFirstOrThrow();
    const row = await h.db
      .insertInto('sops')
      .values({
        name: '甲组跟进',
        trigger_kind: 'tag',
        trigger_value: '甲组',
        steps: '[]',
        active: 1,
        stop_reason: null,
        scanned_until: FIXTURE_TIME,
        created_by_staff_id: managerA.staff_id,
        owner_team_id: teamA.id,
        created_at: FIXTURE_TIME,
        updated_at: FIXTURE_TIME,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const listed = await h.api<{ items: Array<{ name: string }> }>('/sops');
    expect(listed.body.items.map((i) => i.name)).toEqual(['乙组跟进']);
    expect((await h.api(`/sops/${row.id}`)).status).toBe(404);
    const paused = await h.api(`/sops/${row.id}`, undefined, {
      method: 'PATCH',
      body: JSON.stringify({ active: false }),
    });
    expect(paused.status).toBe(404);
    const after = await h.db
      .selectFrom('sops')
      .select('active')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after.active).toBe(1);
  });
});
