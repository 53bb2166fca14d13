import type { Kysely } from 'kysely';
import type { Database, Role } from '../../../db/schema.ts';
import { createStaff } from '../../core/records/staff/registry.ts';

/**
 * The demo organisation, as a Chinese B2B sales organisation is usually built: one 销售总监 over the sales
 * departments (Liaison's director role sees every customer, so a director per department would see the other's
 * customers anyway), a 部门经理 per department and a 组长 per city team (both managers: each sees their own subtree),
 * three reps per team, and an admin who runs the system.
 */
export const DEMO_TEAMS: ReadonlyArray<{ name: string; parent: string | null; code: string }> = [
  { name: '销售一部', parent: null, code: 'd1' },
  { name: '广州组', parent: '销售一部', code: 'gz' },
  { name: '深圳组', parent: '销售一部', code: 'sz' },
  { name: '销售二部', parent: null, code: 'd2' },
  { name: '东莞组', parent: '销售二部', code: 'dg' },
  { name: '佛山组', parent: '销售二部', code: 'fs' },
];

export interface DemoStaff {
  /** The web user id the playground acts as. */
  webId: string;
  name: string;
  role: Role;
  team: string | null;
  /** The city of the team's customers (reps and their team leads). */
  city: string | null;
}

const team = (code: string) => DEMO_TEAMS.find((t) => t.code === code)?.name ?? null;
const reps = (code: string, city: string, names: [string, string, string]): DemoStaff[] =>
  names.map((name, i) => ({ webId: `demo-${code}-rep${i + 1}`, name, role: 'rep', team: team(code), city }));

export const DEMO_STAFF: readonly DemoStaff[] = [
  { webId: 'demo-admin', name: '周建国', role: 'admin', team: null, city: null },
  { webId: 'demo-director', name: '陈志远', role: 'director', team: null, city: null },
  { webId: 'demo-d1-manager', name: '林海峰', role: 'manager', team: team('d1'), city: null },
  { webId: 'demo-gz-manager', name: '黄晓明', role: 'manager', team: team('gz'), city: '广州' },
  ...reps('gz', '广州', ['梁嘉欣', '何俊杰', '罗丽华']),
  { webId: 'demo-sz-manager', name: '吴振宇', role: 'manager', team: team('sz'), city: '深圳' },
  ...reps('sz', '深圳', ['郑雅婷', '谢文斌', '许佳琪']),
  { webId: 'demo-d2-manager', name: '孙立新', role: 'manager', team: team('d2'), city: null },
  { webId: 'demo-dg-manager', name: '冯国栋', role: 'manager', team: team('dg'), city: '东莞' },
  ...reps('dg', '东莞', ['邓思敏', '曾志伟', '彭晓燕']),
  { webId: 'demo-fs-manager', name: '蔡伟明', role: 'manager', team: team('fs'), city: '佛山' },
  ...reps('fs', '佛山', ['袁嘉豪', '潘美玲', '钟子轩']),
];

/** A demo staff member as stored. */
export interface SeededStaff extends DemoStaff {
  id: number;
}

/**
 * Creates the teams and staff (each with an identity on platform 'web'), through the same registry as `/staff add`.
 * An account that exists already (an admin from ADMIN_IDS) is given its demo role and team instead.
 */
export async function seedOrg(
  db: Kysely<Database>,
  now: number,
  webPeopleWorkspace: string,
): Promise<SeededStaff[]> {
  const teamIds = new Map<string, number>();
  for (const t of DEMO_TEAMS) {
    const parentId = t.parent ? (teamIds.get(t.parent) ?? null) : null;
    await db
      .insertInto('teams')
      .values({ name: t.name, parent_id: parentId, created_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await db
      .selectFrom('teams')
      .select('id')
      .where('name', '=', t.name)
      .executeTakeFirstOrThrow();
    teamIds.set(t.name, row.id);
  }
  const seeded: SeededStaff[] = [];
  for (const s of DEMO_STAFF) {
    const key = { platform: 'web' as const, workspace: webPeopleWorkspace, externalId: s.webId };
    const existing = await db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('platform', '=', 'web')
      .where('workspace', '=', webPeopleWorkspace)
      .where('external_id', '=', s.webId)
      .executeTakeFirst();
    const id =
      existing?.staff_id ??
      (await createStaff(db, key, { displayName: s.name, language: 'zh' }, s.role, now));
    if (id === null) throw new Error(`demo staff ${s.webId} could not be created`);
    await db
      .updateTable('staff')
      .set({
        display_name: s.name,
        role: s.role,
        team_id: s.team ? (teamIds.get(s.team) ?? null) : null,
        language: 'zh',
        active: 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    seeded.push({ ...s, id });
  }
  return seeded;
}
