import { buildDigest } from '../digests/build.ts';
import { digestScopeOf } from '../digests/scope.ts';
import type { Command, CommandContext } from './command.ts';
import { auditCommand, usage } from './common.ts';

/**
 * `/digest 日报 on|off|now` and `/digest weekly on|off` in a group chat (managers and above): subscribes the group to
 * the digest of the asker's scope (a manager's team and sub-teams; a director's or admin's whole organisation).
 * `now` sends one at once, not counting as the day's run.
 */
export const digestCommand: Command = {
  name: 'digest',
  aliases: ['日报'],
  usage: {
    zh: '/digest 日报 on|off|now，/digest weekly on|off',
    en: '/digest on|off|now, /digest weekly on|off',
  },
  summary: { zh: '本群订阅客户日报（经理及以上）', en: 'subscribe this group to the digest (managers+)' },
  where: 'group',
  async run(ctx) {
    if (ctx.viewer.role === 'rep')
      return ctx.lang === 'zh'
        ? '只有经理及以上可以订阅日报。'
        : 'Only managers and above subscribe digests.';
    const words = ctx.args.toLowerCase().split(/\s+/).filter(Boolean);
    const weekly = words[0] === 'weekly' || words[0] === '周报';
    const op = weekly ? words[1] : words[0];
    const scope = digestScopeOf(ctx.viewer);
    if (!weekly && (op === 'now' || op === '现在')) return buildDigest(ctx.deps, scope, ctx.lang);
    if (op !== 'on' && op !== 'off' && op !== '开' && op !== '关') return usage(ctx, this.usage[ctx.lang]);
    const on = op === 'on' || op === '开';
    await subscribe(ctx, weekly ? 'weekly' : 'daily', on, scope.teamId);
    const what = weekly
      ? ctx.lang === 'zh'
        ? '周报'
        : 'weekly report'
      : ctx.lang === 'zh'
        ? '日报'
        : 'daily digest';
    return ctx.lang === 'zh'
      ? `本群已${on ? '订阅' : '取消'}客户${what}。`
      : `This group is ${on ? 'subscribed to' : 'unsubscribed from'} the ${what}.`;
  },
};

async function subscribe(ctx: CommandContext, kind: 'daily' | 'weekly', on: boolean, teamId: number | null) {
  const now = ctx.deps.clock.now();
  const { chat } = ctx;
  await ctx.deps.db
    .insertInto('digest_subscriptions')
    .values({
      kind,
      platform: chat.platform,
      workspace: chat.workspace,
      target_kind: 'chat',
      target_ref: chat.platformChatId,
      scope_team_id: teamId,
      owner_team_id: teamId,
      subscriber_staff_id: ctx.staff.id,
      language: ctx.lang,
      enabled: on ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace', 'target_kind', 'target_ref', 'kind']).doUpdateSet({
        enabled: on ? 1 : 0,
        scope_team_id: teamId,
        owner_team_id: teamId,
        subscriber_staff_id: ctx.staff.id,
        stop_reason: null,
        language: ctx.lang,
        updated_at: now,
      }),
    )
    .execute();
  await auditCommand(ctx, {
    action: on ? 'digest.subscribed' : 'digest.unsubscribed',
    subjectKind: 'chat',
    subjectId: chat.key,
    detail: { kind },
  });
}
