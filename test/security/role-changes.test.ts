import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatDriver, telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';

const CONFIG_ADMIN = '5123456789';
const DIRECTOR = '5410000001';
const MANAGER_A = '5410000002';
const REP_A = '5410000003';
/** An admin made in chat (not in ADMIN_IDS), then placed in team A. */
const CHAT_ADMIN = '5410000004';
const DIRECTOR_2 = '5410000005';

describe.each(serverDialectsUnderTest())('role changes on $name', (dialect) => {
  let h: Harness;
  let chat: ChatDriver;
  const roleOf = async (externalId: string) =>
    (
      await h.db
        .selectFrom('staff')
        .innerJoin('staff_identities', 'staff_identities.staff_id', 'staff.id')
        .select('staff.role')
        .where('staff_identities.external_id', '=', externalId)
        .executeTakeFirstOrThrow()
    ).role;

  beforeAll(async () => {
    // One configured admin only, so the last-admin rule can be reached.
    h = await startHarness(dialect, { env: { ADMIN_IDS: `telegram:${CONFIG_ADMIN}` } });
    chat = telegramDriver(h);
    await chat.ask(CONFIG_ADMIN, '/team add 甲组');
    for (const line of [
      `/staff add telegram:${DIRECTOR} director`,
      `/staff add telegram:${DIRECTOR_2} director`,
      `/staff add telegram:${MANAGER_A} manager 甲组`,
      `/staff add telegram:${REP_A} rep 甲组`,
      `/staff add telegram:${CHAT_ADMIN} admin 甲组`,
    ])
      expect(await chat.ask(CONFIG_ADMIN, line)).toContain('现在是');
  }, 60_000);
  afterAll(async () => {
    await h.close();
  });

  it('lets nobody but an admin change the role of someone at or above their own role', async () => {
    // A director turned admins into reps; a manager demoted a director and an admin placed in their team.
    expect(await chat.ask(DIRECTOR, `/staff add telegram:${CONFIG_ADMIN} rep`)).toContain('不能');
    expect(await chat.ask(DIRECTOR, `/staff add telegram:${CHAT_ADMIN} rep`)).toContain('不能');
    expect(await chat.ask(DIRECTOR, `/staff add telegram:${DIRECTOR_2} rep`)).toContain('不能');
    expect(await chat.ask(MANAGER_A, `/staff add telegram:${DIRECTOR} rep 甲组`)).toMatch(
      /不能|不在你的管理范围/,
    );
    expect(await chat.ask(MANAGER_A, `/staff add telegram:${CHAT_ADMIN} rep 甲组`)).toContain('不能');
    expect(await roleOf(CONFIG_ADMIN)).toBe('admin');
    expect(await roleOf(CHAT_ADMIN)).toBe('admin');
    expect(await roleOf(DIRECTOR)).toBe('director');
    expect(await roleOf(DIRECTOR_2)).toBe('director');
    // Below their own rank they still manage people.
    expect(await chat.ask(DIRECTOR, `/staff add telegram:${REP_A} manager 甲组`)).toContain('现在是经理');
    expect(await chat.ask(DIRECTOR, `/staff add telegram:${REP_A} rep 甲组`)).toContain('现在是销售');
  }, 60_000);

  it('never demotes the last active admin, and lets an admin demote another admin', async () => {
    expect(await chat.ask(CONFIG_ADMIN, `/staff add telegram:${CHAT_ADMIN} rep 甲组`)).toContain(
      '现在是销售',
    );
    expect(await chat.ask(CONFIG_ADMIN, `/staff add telegram:${CONFIG_ADMIN} manager 甲组`)).toContain(
      '最后一位管理员',
    );
    expect(await roleOf(CONFIG_ADMIN)).toBe('admin');
    const audits = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind', 'via'])
      .where('action', '=', 'staff.updated')
      .execute();
    expect(audits.length).toBeGreaterThan(0);
    expect(audits.every((a) => a.actor_kind === 'staff' && a.via === 'telegram')).toBe(true);
  }, 60_000);
});
