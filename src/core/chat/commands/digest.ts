import { messages } from '../../kernel/i18n/index.ts';
import { staffActor } from '../../kernel/permissions/actor.ts';
import { buildDigest } from '../../reading/digests/build.ts';
import { digestScopeOf } from '../../reading/digests/scope.ts';
import { subscribeDigest } from '../../reading/digests/subscriptions.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';

/**
 * `/digest 日报 on|off|now` and `/digest weekly on|off` in a group chat (managers and above): subscribes the group to
 * the digest of the asker's scope (a manager's team and sub-teams; a director's or admin's whole organisation).
 * `now` sends one at once, not counting as the day's run.
 */
export const digestCommand: Command = {
  name: 'digest',
  aliases: ['日报'],
  ...helpOf('digest'),
  where: 'group',
  async run(ctx) {
    const t = messages(ctx.lang).commands.digest;
    if (ctx.viewer.role === 'rep') return t.repRefused;
    const words = ctx.args.toLowerCase().split(/\s+/).filter(Boolean);
    const weekly = words[0] === 'weekly' || words[0] === '周报';
    const op = weekly ? words[1] : words[0];
    const scope = digestScopeOf(ctx.viewer);
    if (!weekly && (op === 'now' || op === '现在')) return buildDigest(ctx.deps, scope, ctx.lang);
    if (op !== 'on' && op !== 'off' && op !== '开' && op !== '关') return usage(ctx, this.usage[ctx.lang]);
    const on = op === 'on' || op === '开';
    const outcome = await subscribe(ctx, weekly ? 'weekly' : 'daily', on, scope.teamId);
    if (!outcome.ok) return t.otherTeam;
    return t.changed(weekly, on);
  },
};

/** Subscribes (or unsubscribes) the group through the core, which checks the asker's reach and audits. */
async function subscribe(ctx: CommandContext, kind: 'daily' | 'weekly', on: boolean, teamId: number | null) {
  const { chat } = ctx;
  return subscribeDigest(ctx.deps, staffActor(ctx.viewer, chat.platform), {
    kind,
    platform: chat.platform,
    workspace: chat.workspace,
    target: { kind: 'chat', ref: chat.platformChatId },
    teamId,
    language: ctx.lang,
    enabled: on,
  });
}
