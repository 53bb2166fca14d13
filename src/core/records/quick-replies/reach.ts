import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import { teamSubtree } from '../../kernel/permissions/staff-scope.ts';

/**
 * Which quick replies an actor reaches. Unlike marketing objects, a quick reply is made to be used by the people
 * below its owner: a team's quick replies are read (and sent) by that team and every team under it, the
 * organisation's (no team) by everyone. Managers write their own team's and those of the teams under it; directors,
 * admins and the unrestricted (the API's admin token, the command line) write any, the organisation's included.
 */
export interface QuickReplyReach {
  /** Directors, admins and the unrestricted: every quick reply, to read and to write. */
  all: boolean;
  /** Where `:key` is looked up, most specific first: the actor's team, then its parent and so on up the tree. */
  chain: number[];
  /** Teams whose quick replies the actor may write (a manager's team and the teams under it). */
  changeTeams: number[];
  /** The actor's team: where a manager's new quick replies go. */
  ownTeam: number | null;
}

/** How far up the team tree a lookup climbs at most: a guard against a parent cycle in hand-edited data. */
const MAX_DEPTH = 32;

export async function quickReplyReach(db: Kysely<Database>, viewer: Viewer | null): Promise<QuickReplyReach> {
  const chain = viewer?.teamId != null ? await teamChain(db, viewer.teamId) : [];
  const all = viewer === null || viewer.role === 'admin' || viewer.role === 'director';
  const changeTeams =
    viewer?.role === 'manager' && viewer.teamId !== null ? await teamSubtree(db, viewer.teamId) : [];
  return { all, chain, changeTeams, ownTeam: viewer?.teamId ?? null };
}

/** Whether the actor may read (and send) quick replies of this owner (null: the organisation). */
export const maySeeQuickReply = (reach: QuickReplyReach, teamId: number | null): boolean =>
  reach.all || teamId === null || reach.chain.includes(teamId) || reach.changeTeams.includes(teamId);

/** Whether the actor may add, change or remove quick replies of this owner (null: the organisation). */
export const mayChangeQuickReply = (reach: QuickReplyReach, teamId: number | null): boolean =>
  reach.all || (teamId !== null && reach.changeTeams.includes(teamId));

/** Whether the actor may write any quick reply at all (a rep, or a manager without a team, may not). */
export const mayWriteQuickReplies = (reach: QuickReplyReach): boolean =>
  reach.all || reach.changeTeams.length > 0;

/** A team and its ancestors, nearest first. */
async function teamChain(db: Kysely<Database>, teamId: number): Promise<number[]> {
  const teams = await db.selectFrom('teams').select(['id', 'parent_id']).execute();
  const parent = new Map(teams.map((t) => [Number(t.id), t.parent_id === null ? null : Number(t.parent_id)]));
  const chain: number[] = [];
  let at: number | null | undefined = teamId;
  while (at != null && !chain.includes(at) && chain.length < MAX_DEPTH) {
    chain.push(at);
    at = parent.get(at);
  }
  return chain;
}
