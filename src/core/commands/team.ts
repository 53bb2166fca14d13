import type { Command } from './command.ts';
import { auditCommand, usage } from './common.ts';

/** `/team 团队 add <name> [parent]` (directors and admins) and `/team list`: the team tree. */
export const teamCommand: Command = {
  name: 'team',
  aliases: ['团队'],
  usage: { zh: '/team 团队 add <名称> [上级团队] | list', en: '/team add <name> [parent] | list' },
  summary: { zh: '团队（树状）', en: 'teams (a tree)' },
  async run(ctx) {
    const [sub = '', name, parentName] = ctx.args.split(/\s+/).filter(Boolean);
    const { db, clock } = ctx.deps;
    if (/^(list|列表)$/i.test(sub)) {
      const teams = await db.selectFrom('teams').select(['id', 'name', 'parent_id']).orderBy('id').execute();
      if (teams.length === 0) return ctx.lang === 'zh' ? '还没有团队。' : 'No teams yet.';
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
    if (ctx.viewer.role !== 'admin' && ctx.viewer.role !== 'director') {
      return ctx.lang === 'zh' ? '只有总监和管理员可以建团队。' : 'Only directors and admins create teams.';
    }
    if ([...name].length > 40)
      return ctx.lang === 'zh' ? '团队名最长40字。' : 'A team name is at most 40 characters.';
    const parent = parentName
      ? await db.selectFrom('teams').select('id').where('name', '=', parentName).executeTakeFirst()
      : undefined;
    if (parentName && !parent)
      return ctx.lang === 'zh' ? `没有「${parentName}」这个团队。` : `There is no team "${parentName}".`;
    const inserted = await db
      .insertInto('teams')
      .values({ name, parent_id: parent?.id ?? null, created_at: clock.now() })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      return ctx.lang === 'zh' ? `团队「${name}」已存在。` : `Team "${name}" exists already.`;
    }
    await auditCommand(ctx, {
      action: 'team.created',
      subjectKind: 'team',
      subjectId: name,
      detail: { parent: parentName ?? null },
    });
    return ctx.lang === 'zh'
      ? `已建团队「${name}」${parentName ? `，隶属「${parentName}」` : ''}。`
      : `Team "${name}" created${parentName ? ` under "${parentName}"` : ''}.`;
  },
};
