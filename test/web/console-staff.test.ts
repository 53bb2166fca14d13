import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramDriver } from '../helpers/chat-driver.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { FIXTURE_TIME, type Harness, startHarness } from '../helpers/harness.ts';
import { ADMIN, DIRECTOR, GZ_MANAGER, GZ_REP, SZ_REP } from './console-people.ts';
import {
  CHROMIUM,
  launchChromium,
  screenshot,
  signInInBrowser,
  startServedHarness,
  watchProblems,
} from './panel-browser.ts';
import { signInByLink, WEB_ENV, type WebClient } from './web-client.ts';

// The staff and teams screen: its JSON on both databases, and the page in Chromium on sqlite.

const STAFF = '/app/api/console/staff';

type Member = {
  id: number;
  name: string;
  role: string;
  teamId: number | null;
  teamName: string | null;
  active: boolean;
  reachableOn: string[];
  editable: boolean;
};
type Directory = {
  members: Member[];
  teams: Array<{ id: number; name: string }>;
  may: { addTeam: boolean; edit: boolean };
  grantable: string[];
};

/** Teams and staff as the other console tests set them up, through the chat. */
async function setUp(h: Harness): Promise<Record<string, number>> {
  for (const line of [
    '/team add 广州组',
    '/team add 深圳组',
    `/staff add telegram:${GZ_MANAGER} manager 广州组`,
    `/staff add telegram:${GZ_REP} rep 广州组`,
    `/staff add telegram:${SZ_REP} rep 深圳组`,
    `/staff add telegram:${DIRECTOR} director`,
  ])
    await telegramDriver(h).ask(ADMIN, line);
  const ids: Record<string, number> = {};
  for (const who of [ADMIN, GZ_MANAGER, GZ_REP, SZ_REP, DIRECTOR]) {
    const row = await h.db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('external_id', '=', who)
      .executeTakeFirstOrThrow();
    ids[who] = Number(row.staff_id);
  }
  return ids;
}

describe.each(serverDialectsUnderTest())('the console staff screen on $name', (dialect) => {
  let h: Harness;
  let staff: Record<string, number>;
  const chat = () => telegramDriver(h);
  const directory = async (web: WebClient) => {
    const res = await web.request(STAFF);
    expect(res.status).toBe(200);
    return (await res.json()) as Directory;
  };

  beforeAll(async () => {
    h = await startHarness(dialect, { clockAt: FIXTURE_TIME, env: WEB_ENV });
    staff = await setUp(h);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it("lets an admin change a rep's role and team, and /staff in the chat shows it", async () => {
    const admin = await signInByLink(h, ADMIN);
    const dir = await directory(admin);
    expect(dir.may).toEqual({ addTeam: true, edit: true });
    const rep = dir.members.find((m) => m.id === staff[GZ_REP]);
    expect(rep).toMatchObject({ role: 'rep', teamName: '广州组', active: true, editable: true });
    expect(rep?.reachableOn).toEqual(['telegram']);
    // An admin's own row is not editable here (no one demotes themselves by a slip).
    expect(dir.members.find((m) => m.id === staff[ADMIN])?.editable).toBe(false);
    const sz = dir.teams.find((t) => t.name === '深圳组')?.id;
    const changed = await admin.request(`${STAFF}/${staff[GZ_REP]}`, {
      method: 'PATCH',
      json: { role: 'manager', teamId: sz },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ id: staff[GZ_REP], changed: true });
    const name = rep?.name ?? '';
    const listed = (await chat().ask(ADMIN, '/staff list')).split('\n').find((l) => l.startsWith(name));
    expect(listed).toBe(`${name} · 经理 · 深圳组`);
    // The same change again writes nothing.
    const again = await admin.request(`${STAFF}/${staff[GZ_REP]}`, {
      method: 'PATCH',
      json: { role: 'manager', teamId: sz },
    });
    expect(await again.json()).toEqual({ id: staff[GZ_REP], changed: false });
    const audited = await h.db
      .selectFrom('audit_log')
      .select(['action', 'via'])
      .where('subject_kind', '=', 'staff')
      .where('subject_id', '=', String(staff[GZ_REP]))
      .where('via', '=', 'web')
      .execute();
    expect(audited).toEqual([{ action: 'staff.updated', via: 'web' }]);
    // Back as it was, for the tests after.
    const gz = dir.teams.find((t) => t.name === '广州组')?.id;
    const back = await admin.request(`${STAFF}/${staff[GZ_REP]}`, {
      method: 'PATCH',
      json: { role: 'rep', teamId: gz },
    });
    expect(back.status).toBe(200);
  });

  it('shows a manager their team read-only and refuses their changes with 403', async () => {
    const manager = await signInByLink(h, GZ_MANAGER);
    const dir = await directory(manager);
    expect(dir.may).toEqual({ addTeam: false, edit: false });
    expect(new Set(dir.members.map((m) => m.id))).toEqual(new Set([staff[GZ_MANAGER], staff[GZ_REP]]));
    expect(dir.members.every((m) => !m.editable)).toBe(true);
    const role = await manager.request(`${STAFF}/${staff[GZ_REP]}`, {
      method: 'PATCH',
      json: { role: 'rep', teamId: null },
    });
    expect(role.status).toBe(403);
    expect(((await role.json()) as { error: string }).error).toBe('只有总监和管理员可以修改员工和团队。');
    const off = await manager.request(`${STAFF}/${staff[GZ_REP]}/active`, { json: { active: false } });
    expect(off.status).toBe(403);
    const team = await manager.request(`${STAFF}/teams`, { json: { name: '经理组' } });
    expect(team.status).toBe(403);
    const row = await h.db
      .selectFrom('staff')
      .select(['role', 'team_id', 'active'])
      .where('id', '=', staff[GZ_REP] ?? 0)
      .executeTakeFirstOrThrow();
    expect(row.active).toBe(1);
    expect(row.role).toBe('rep');
    expect(row.team_id).not.toBeNull();
  });

  it('holds a director below their own role and deactivates a rep, whose session then ends', async () => {
    const director = await signInByLink(h, DIRECTOR);
    const dir = await directory(director);
    expect(dir.grantable).toEqual(['rep', 'manager']);
    expect(dir.members.find((m) => m.id === staff[ADMIN])?.editable).toBe(false);
    const promote = await director.request(`${STAFF}/${staff[SZ_REP]}`, {
      method: 'PATCH',
      json: { role: 'admin', teamId: null },
    });
    expect(promote.status).toBe(403);
    const demoteAdmin = await director.request(`${STAFF}/${staff[ADMIN]}/active`, {
      json: { active: false },
    });
    expect(demoteAdmin.status).toBe(403);

    const rep = await signInByLink(h, SZ_REP);
    expect((await rep.me()).status).toBe(200);
    const noCsrf = await director.request(`${STAFF}/${staff[SZ_REP]}/active`, {
      json: { active: false },
      csrf: null,
    });
    expect(noCsrf.status).toBe(403);
    const off = await director.request(`${STAFF}/${staff[SZ_REP]}/active`, { json: { active: false } });
    expect(off.status).toBe(200);
    expect((await rep.me()).status).toBe(401);
    expect(await chat().ask(ADMIN, '/staff list')).not.toContain('深圳组');
    const listed = (await directory(director)).members.find((m) => m.id === staff[SZ_REP]);
    expect(listed?.active).toBe(false);
    const on = await director.request(`${STAFF}/${staff[SZ_REP]}/active`, { json: { active: true } });
    expect(await on.json()).toEqual({ id: staff[SZ_REP], active: true, changed: true });
    expect(await chat().ask(ADMIN, '/staff list')).toContain('深圳组');
  });

  it('adds a team under another; an admin cannot deactivate themselves; a rep is refused', async () => {
    const admin = await signInByLink(h, ADMIN);
    const made = await admin.request(`${STAFF}/teams`, { json: { name: '番禺组', parent: '广州组' } });
    expect(made.status).toBe(201);
    expect(await chat().ask(ADMIN, '/team list')).toContain('  - 番禺组');
    const twice = await admin.request(`${STAFF}/teams`, { json: { name: '番禺组', parent: '广州组' } });
    expect(twice.status).toBe(200);
    const self = await admin.request(`${STAFF}/${staff[ADMIN]}/active`, { json: { active: false } });
    expect(self.status).toBe(403);
    const rep = await signInByLink(h, GZ_REP);
    expect((await rep.request(STAFF)).status).toBe(403);
    expect((await rep.request(`${STAFF}/teams`, { json: { name: 'x' } })).status).toBe(403);
  });
});

const hasChromium = existsSync(CHROMIUM);
const sqlite = serverDialectsUnderTest().filter((d) => d.name === 'sqlite');

describe.skipIf(!hasChromium).each(sqlite)('the console staff screen in Chromium on $name', (dialect) => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let staff: Record<string, number>;

  beforeAll(async () => {
    ({ h, base } = await startServedHarness(dialect));
    staff = await setUp(h);
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("lets an admin make a rep a manager on the page; the chat's /staff shows it", async () => {
    const page = await signInInBrowser(browser, h, base, ADMIN);
    const problems = watchProblems(page);
    await page.goto(`${base}/app/console/staff`);
    const row = page.locator(`#staff tr.member[data-id="${staff[GZ_REP]}"]`);
    await expect.poll(() => row.count()).toBe(1);
    const name = (await row.locator('.member-name').textContent()) ?? '';
    await row.locator('select.role').selectOption('manager');
    await row.locator('button.save').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('已保存。');
    const listed = (await telegramDriver(h).ask(ADMIN, '/staff list'))
      .split('\n')
      .find((l) => l.startsWith(name));
    expect(listed).toBe(`${name} · 经理 · 广州组`);
    await screenshot(page, 'console-staff');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows a manager their team without controls', async () => {
    const page = await signInInBrowser(browser, h, base, GZ_MANAGER);
    await page.goto(`${base}/app/console/staff`);
    await expect.poll(() => page.locator('#staff tr.member').count()).toBeGreaterThan(0);
    expect(await page.locator('#staff select, #staff button').count()).toBe(0);
    expect(await page.locator('#team-add').count()).toBe(0);
    expect(await page.locator('#staff').innerText()).not.toContain('深圳组');
    await page.context().close();
  }, 60_000);
});
