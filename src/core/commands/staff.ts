import type { Platform, Role } from '../../../db/schema.ts';
import type { Lang } from '../i18n.ts';
import { managedStaffIds, teamSubtree } from '../permissions/staff-scope.ts';
import { createStaff, staffIdOf } from '../staff/registry.ts';
import type { Command, CommandContext } from './command.ts';
import { auditCommand, usage } from './common.ts';

const RANK: Record<Role, number> = { rep: 0, manager: 1, director: 2, admin: 3 };
const ROLE_WORDS: Record<string, Role> = {
  rep: 'rep',
  销售: 'rep',
  manager: 'manager',
  经理: 'manager',
  director: 'director',
  总监: 'director',
  admin: 'admin',
  管理员: 'admin',
};
const roleNames: Record<Lang, Record<Role, string>> = {
  zh: { rep: '销售', manager: '经理', director: '总监', admin: '管理员' },
  en: { rep: 'rep', manager: 'manager', director: 'director', admin: 'admin' },
};

/**
 * `/staff 员工 add <platform:userId> <role> [team]` and `/staff list`. Admins manage everyone; directors and
 * managers manage the staff of their scope, never granting a role above their own; reps cannot.
 */
export const staffCommand: Command = {
  name: 'staff',
  aliases: ['员工'],
  usage: {
    zh: '/staff 员工 add <平台:用户ID> <销售|经理|总监|管理员> [团队] | list',
    en: '/staff add <platform:userId> <rep|manager|director|admin> [team] | list',
  },
  summary: { zh: '员工与角色', en: 'staff and roles' },
  async run(ctx) {
    const [sub = ''] = ctx.args.split(/\s+/);
    if (ctx.viewer.role === 'rep')
      return ctx.lang === 'zh' ? '只有经理及以上可以管理员工。' : 'Only managers and above manage staff.';
    if (/^(list|列表)$/i.test(sub)) return listStaff(ctx);
    if (/^(add|添加)$/i.test(sub)) return addStaff(ctx, this.usage[ctx.lang]);
    return usage(ctx, this.usage[ctx.lang]);
  },
};

async function listStaff(ctx: CommandContext): Promise<string> {
  const managed = await managedStaffIds(ctx.deps.db, ctx.viewer);
  let q = ctx.deps.db
    .selectFrom('staff')
    .leftJoin('teams', 'teams.id', 'staff.team_id')
    .select(['staff.id', 'staff.display_name', 'staff.role', 'teams.name as team'])
    .where('staff.active', '=', 1)
    .orderBy('teams.name')
    .orderBy('staff.display_name');
  if (managed) q = q.where('staff.id', 'in', managed);
  const rows = await q.execute();
  const noTeam = ctx.lang === 'zh' ? '未分组' : 'no team';
  return rows
    .map((r) => `${r.display_name} · ${roleNames[ctx.lang][r.role]} · ${r.team ?? noTeam}`)
    .join('\n');
}

async function addStaff(ctx: CommandContext, help: string): Promise<string> {
  const [, ref = '', roleWord = '', teamName] = ctx.args.split(/\s+/).filter(Boolean);
  const m = /^(telegram|wecom|feishu|web):(\S+)$/.exec(ref);
  const role = ROLE_WORDS[roleWord.toLowerCase()];
  if (!m || !role) return usage(ctx, help);
  const platform = m[1] as Platform;
  const externalId = m[2] as string;
  const zh = ctx.lang === 'zh';
  const { db, clock } = ctx.deps;
  const adapter = ctx.deps.adapters.get(platform);
  if (!adapter) return zh ? `${platform} 未启用。` : `${platform} is not on.`;
  const team = teamName
    ? await db.selectFrom('teams').select('id').where('name', '=', teamName).executeTakeFirst()
    : undefined;
  if (teamName && !team) return zh ? `没有「${teamName}」这个团队。` : `There is no team "${teamName}".`;
  // Above their own rank nobody may grant; a manager adds only into their own subtree.
  const allowedTeams =
    ctx.viewer.role === 'manager' && ctx.viewer.teamId !== null
      ? await teamSubtree(db, ctx.viewer.teamId)
      : null;
  const teamId = team?.id ?? (ctx.viewer.role === 'manager' ? ctx.viewer.teamId : null);
  if (
    (ctx.viewer.role !== 'admin' && RANK[role] >= RANK[ctx.viewer.role]) ||
    (allowedTeams && (teamId === null || !allowedTeams.includes(teamId)))
  ) {
    return zh ? '你不能授予这个角色或团队。' : 'You cannot grant that role or team.';
  }
  const key = { platform, workspace: adapter.peopleWorkspace, externalId };
  const now = clock.now();
  const existing = await staffIdOf(db, key);
  let staffId = existing;
  if (staffId !== null) {
    const managed = await managedStaffIds(db, ctx.viewer);
    if (managed && !managed.includes(staffId))
      return zh ? '这位员工不在你的管理范围内。' : 'That staff member is outside your scope.';
    await db
      .updateTable('staff')
      .set({ role, team_id: teamId, active: 1, updated_at: now })
      .where('id', '=', staffId)
      .execute();
  } else {
    staffId = await createStaff(db, key, { displayName: ref }, role, now);
    if (staffId !== null)
      await db.updateTable('staff').set({ team_id: teamId }).where('id', '=', staffId).execute();
  }
  await auditCommand(ctx, {
    action: existing !== null ? 'staff.updated' : 'staff.added',
    subjectKind: 'staff',
    subjectId: staffId ?? ref,
    detail: { platform, externalId, role, team: teamName ?? null },
  });
  const roleName = roleNames[ctx.lang][role];
  return zh
    ? `${ref} 现在是${roleName}${teamName ? `，属于「${teamName}」` : ''}。`
    : `${ref} is now ${roleName}${teamName ? ` in "${teamName}"` : ''}.`;
}
