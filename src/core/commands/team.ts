import { createTeam, listTeams, MAX_TEAM_NAME_CHARS } from '../staff/teams.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';

/** `/team 团队 add <name> [parent]` (directors and admins) and `/team list`: the team tree. */
export const teamCommand: Command = {
  name: 'team',
  aliases: ['团队'],
  usage: { zh: '/team 团队 add <名称> [上级团队] | list', en: '/team add <name> [parent] | list' },
  summary: { zh: '团队（树状）', en: 'teams (a tree)' },
  async run(ctx) {
    const [sub = '', name, parentName] = ctx.args.split(/\s+/).filter(Boolean);
    const zh = ctx.lang === 'zh';
    if (/^(list|列表)$/i.test(sub)) {
      const teams = await listTeams(ctx.deps.db);
      if (teams.length === 0) return zh ? '还没有团队。' : 'No teams yet.';
      const lines: string[] = [];
      const walk = (parent: number | null, depth: number) => {
        for (const t of teams.filter((x) => x.parent_id === parent)) {
          lines.push(`${'  '.repeat(depth)}- ${t.name}`);
          walk(t.id, depth + 1);
        }
      };
      walk(null, 0);
      return lines.join('\n');
    }
    if (!/^(add|添加|新建)$/i.test(sub) || !name) return usage(ctx, this.usage[ctx.lang]);
    const made = await createTeam(ctx.deps, ctx.actor, { name, parentName: parentName ?? null });
    if (!made.ok) {
      if (made.reason === 'not_allowed')
        return zh ? '只有总监和管理员可以建团队。' : 'Only directors and admins create teams.';
      if (made.reason === 'too_long')
        return zh
          ? `团队名最长${MAX_TEAM_NAME_CHARS}字。`
          : `A team name is at most ${MAX_TEAM_NAME_CHARS} characters.`;
      return zh ? `没有「${parentName}」这个团队。` : `There is no team "${parentName}".`;
    }
    if (!made.created) return zh ? `团队「${name}」已存在。` : `Team "${name}" exists already.`;
    return zh
      ? `已建团队「${name}」${parentName ? `，隶属「${parentName}」` : ''}。`
      : `Team "${name}" created${parentName ? ` under "${parentName}"` : ''}.`;
  },
};
