import { messages } from '../../kernel/i18n/index.ts';
import { createTeam, listTeams, MAX_TEAM_NAME_CHARS } from '../../records/staff/teams.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';

/** `/team 团队 add <name> [parent]` (directors and admins) and `/team list`: the team tree. */
export const teamCommand: Command = {
  name: 'team',
  aliases: ['团队'],
  ...helpOf('team'),
  async run(ctx) {
    const [sub = '', name, parentName] = ctx.args.split(/\s+/).filter(Boolean);
    const t = messages(ctx.lang).commands.team;
    if (/^(list|列表)$/i.test(sub)) {
      const teams = await listTeams(ctx.deps.db);
      if (teams.length === 0) return t.none;
      const lines: string[] = [];
      const walk = (parent: number | null, depth: number) => {
        for (const team of teams.filter((x) => x.parent_id === parent)) {
          lines.push(`${'  '.repeat(depth)}- ${team.name}`);
          walk(team.id, depth + 1);
        }
      };
      walk(null, 0);
      return lines.join('\n');
    }
    if (!/^(add|添加|新建)$/i.test(sub) || !name) return usage(ctx, this.usage[ctx.lang]);
    const made = await createTeam(ctx.deps, ctx.actor, { name, parentName: parentName ?? null });
    if (!made.ok) {
      if (made.reason === 'not_allowed') return t.notAllowed;
      if (made.reason === 'too_long') return t.tooLong(MAX_TEAM_NAME_CHARS);
      return t.noParent(parentName ?? '');
    }
    if (!made.created) return t.exists(name);
    return t.created(name, parentName ?? '');
  },
};
