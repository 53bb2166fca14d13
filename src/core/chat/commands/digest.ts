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
 * `now` sends one at once, not counting as the day's run. In a private chat, `/digest [weekly] robot <webhook> on|off`
 * subscribes a group robot of the asker's platform (a WeCom group robot, a Feishu custom bot): the way to a group the
 * app cannot write in, and a webhook typed where the group cannot read it.
 */
export const digestCommand: Command = {
  name: 'digest',
  aliases: ['日报'],
  ...helpOf('digest'),
  where: 'any',
  async run(ctx) {
    const t = messages(ctx.lang).commands.digest;
    if (ctx.viewer.role === 'rep') return t.repRefused;
    // The webhook keeps its case (a key); the words around it do not matter.
    const raw = ctx.args.split(/\s+/).filter(Boolean);
    const words = raw.map((w) => w.toLowerCase());
    const weekly = words[0] === 'weekly' || words[0] === '周报';
    const rest = weekly ? words.slice(1) : words;
    const scope = digestScopeOf(ctx.viewer);
    if (rest[0] === 'robot' || rest[0] === '机器人') {
      if (ctx.chat.kind !== 'private') return t.robotInPrivate;
      const ref = raw[raw.length - rest.length + 1];
      const op = rest[2];
      if (!ref || (op !== 'on' && op !== 'off' && op !== '开' && op !== '关'))
        return usage(ctx, t.robotUsage);
      const outcome = await subscribeRobot(ctx, weekly ? 'weekly' : 'daily', ref, op === 'on' || op === '开');
      if (!outcome.ok) return outcome.reason === 'bad_robot' ? t.badRobot(outcome.detail) : t.otherTeam;
      return t.robotChanged(weekly, op === 'on' || op === '开');
    }
    if (ctx.chat.kind === 'private') return messages(ctx.lang).registry.groupOnly;
    const op = rest[0];
    if (!weekly && (op === 'now' || op === '现在')) return buildDigest(ctx.deps, scope, ctx.lang);
    if (op !== 'on' && op !== 'off' && op !== '开' && op !== '关') return usage(ctx, this.usage[ctx.lang]);
    const on = op === 'on' || op === '开';
    const outcome = await subscribe(ctx, weekly ? 'weekly' : 'daily', on, scope.teamId);
    if (!outcome.ok) return t.otherTeam;
    return t.changed(weekly, on);
  },
};

/** Subscribes (or unsubscribes) a robot of the asker's platform; the core checks its URL, the reach, and audits. */
async function subscribeRobot(ctx: CommandContext, kind: 'daily' | 'weekly', ref: string, on: boolean) {
  const { chat } = ctx;
  return subscribeDigest(ctx.deps, staffActor(ctx.viewer, chat.platform), {
    kind,
    platform: chat.platform,
    workspace: ctx.deps.adapters.get(chat.platform)?.workspace ?? chat.workspace,
    target: { kind: 'robot', ref, secret: null },
    teamId: digestScopeOf(ctx.viewer).teamId,
    language: ctx.lang,
    enabled: on,
  });
}

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
