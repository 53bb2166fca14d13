import { buildDigest } from '../../reading/digests/build.ts';
import type { DigestScope } from '../../reading/digests/scope.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';

/**
 * `/report 报表 [week|month]`: the digest's sections over a longer period, for the asker's scope: a rep's own
 * customers, a manager's team and sub-teams, everyone for directors and admins. In private only (it names customers).
 */
export const reportCommand: Command = {
  name: 'report',
  aliases: ['报表'],
  ...helpOf('report'),
  hints: ['报表', '周报', '月报', 'report'],
  async run(ctx) {
    const word = ctx.args.trim().toLowerCase();
    const kind =
      !word || ['week', '周', '本周', '7'].includes(word)
        ? 'week'
        : ['month', '月', '本月', '30'].includes(word)
          ? 'month'
          : null;
    if (!kind) return usage(ctx, this.usage[ctx.lang]);
    const { role, teamId, staffId } = ctx.viewer;
    const scope: DigestScope =
      role === 'admin' || role === 'director'
        ? { teamId: null }
        : role === 'manager' && teamId !== null
          ? { teamId }
          : { teamId: null, ownerId: staffId };
    return buildDigest(ctx.deps, scope, ctx.lang, kind);
  },
};
