import type { Platform, Role } from '../../../db/schema.ts';
import type { Lang } from '../i18n.ts';
import { staffActor } from '../permissions/actor.ts';
import { managedStaffIds } from '../permissions/staff-scope.ts';
import { type StaffRoleOutcome, setStaffRole } from '../staff/set-role.ts';
import type { Command, CommandContext } from './command.ts';
import { usage } from './common.ts';

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
  const outcome = await setStaffRole(ctx.deps, staffActor(ctx.viewer, ctx.chat.platform), {
    platform,
    externalId: m[2] as string,
    role,
    ...(teamName ? { teamName } : {}),
  });
  const zh = ctx.lang === 'zh';
  if (!outcome.ok) return refusals[ctx.lang][outcome.reason](platform, teamName ?? '');
  const roleName = roleNames[ctx.lang][role];
  return zh
    ? `${ref} 现在是${roleName}${teamName ? `，属于「${teamName}」` : ''}。`
    : `${ref} is now ${roleName}${teamName ? ` in "${teamName}"` : ''}.`;
}

type Refusal = Exclude<StaffRoleOutcome, { ok: true }>['reason'];
const refusals: Record<Lang, Record<Refusal, (platform: string, team: string) => string>> = {
  zh: {
    not_allowed: () => '只有经理及以上可以管理员工。',
    platform_off: (p) => `${p} 未启用。`,
    no_team: (_, t) => `没有「${t}」这个团队。`,
    role_or_team_refused: () => '你不能授予这个角色或团队。',
    outside_scope: () => '这位员工不在你的管理范围内。',
    at_or_above: () => '你不能更改角色不低于你的员工。',
    last_admin: () => '这是最后一位管理员，不能降级。请先任命另一位管理员。',
    race: () => '这个账号刚被同时登记，请再试一次。',
  },
  en: {
    not_allowed: () => 'Only managers and above manage staff.',
    platform_off: (p) => `${p} is not on.`,
    no_team: (_, t) => `There is no team "${t}".`,
    role_or_team_refused: () => 'You cannot grant that role or team.',
    outside_scope: () => 'That staff member is outside your scope.',
    at_or_above: () => 'You cannot change the role of someone at or above your own role.',
    last_admin: () => 'This is the last admin and cannot be demoted. Make someone else admin first.',
    race: () => 'That account was registered at the same moment; try again.',
  },
};
