import type { Platform, Role } from '../../../../db/schema.ts';
import { messages } from '../../kernel/i18n/index.ts';
import { staffActor } from '../../kernel/permissions/actor.ts';
import { managedStaffIds } from '../../kernel/permissions/staff-scope.ts';
import { setStaffRole } from '../../records/staff/set-role.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';

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

/**
 * `/staff 员工 add <platform:userId> <role> [team]` and `/staff list`. Admins manage everyone; directors and
 * managers manage the staff of their scope, never granting a role above their own; reps cannot.
 */
export const staffCommand: Command = {
  name: 'staff',
  aliases: ['员工'],
  ...helpOf('staff'),
  async run(ctx) {
    const [sub = ''] = ctx.args.split(/\s+/);
    if (ctx.viewer.role === 'rep')
      return messages(ctx.lang).commands.staff.refusals.not_allowed({ platform: '', team: '' });
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
  const { roles, commands } = messages(ctx.lang);
  return rows
    .map((r) => `${r.display_name} · ${roles[r.role]} · ${r.team ?? commands.staff.noTeam}`)
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
  const { roles, commands } = messages(ctx.lang);
  if (!outcome.ok) return commands.staff.refusals[outcome.reason]({ platform, team: teamName ?? '' });
  return commands.staff.set(ref, roles[role], teamName ?? '');
}
