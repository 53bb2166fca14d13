import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { listTeams } from '../staff/teams.ts';
import {
  MAX_QUICK_REPLY_CHARS,
  type QuickReply,
  quickReplyKey,
  quickReplyRows,
  shape,
} from './quick-replies.ts';
import { mayChangeQuickReply, maySeeQuickReply, mayWriteQuickReplies, quickReplyReach } from './reach.ts';
import type { NotAllowed } from './store.ts';

type Deps = Pick<CoreDeps, 'db' | 'clock'>;

export type ChangeOutcome =
  | { ok: true; quickReply: QuickReply; changed: boolean }
  /** `key_taken`: the owner has another quick reply under the new key. */
  | { ok: false; reason: NotAllowed | 'unknown' | 'invalid_key' | 'empty' | 'too_long' | 'key_taken' };

/**
 * Gives a quick reply (by id) a new key and text, keeping its owner: a page's edit, where the chat's `/quick add`
 * can only replace a key's text. One the actor does not see answers as unknown; one they see but may not change as
 * not allowed. The same change again (a retry) changes nothing and is not audited twice.
 */
export async function changeQuickReply(
  deps: Deps,
  actor: Actor,
  id: number,
  input: { key: string; text: string },
  requestKey: string,
): Promise<ChangeOutcome> {
  const { db } = deps;
  const reach = await quickReplyReach(db, actor.viewer);
  if (!mayWriteQuickReplies(reach))
    return {
      ok: false,
      reason: actor.viewer?.role === 'manager' && actor.viewer.teamId === null ? 'no_team' : 'not_allowed',
    };
  const row = await quickReplyRows(db).where('quick_replies.id', '=', id).executeTakeFirst();
  const found = row ? shape(row) : null;
  if (!found || !maySeeQuickReply(reach, found.teamId)) return { ok: false, reason: 'unknown' };
  if (!mayChangeQuickReply(reach, found.teamId)) return { ok: false, reason: 'not_allowed' };
  const key = quickReplyKey(input.key);
  if (key === null) return { ok: false, reason: 'invalid_key' };
  const text = input.text.trim();
  if (!text) return { ok: false, reason: 'empty' };
  if ([...text].length > MAX_QUICK_REPLY_CHARS) return { ok: false, reason: 'too_long' };
  if (found.key === key && found.text === text) return { ok: true, quickReply: found, changed: false };
  const taken = await db
    .selectFrom('quick_replies')
    .select('id')
    .where('key', '=', key)
    .where('id', '<>', id)
    .where((eb) =>
      found.teamId === null ? eb('owner_team_id', 'is', null) : eb('owner_team_id', '=', found.teamId),
    )
    .executeTakeFirst();
  if (taken) return { ok: false, reason: 'key_taken' };
  const now = deps.clock.now();
  await db
    .updateTable('quick_replies')
    .set({ key, text, request_key: requestKey, updated_at: now })
    .where('id', '=', id)
    .execute();
  await audit(db, now, {
    ...auditedAs(actor),
    action: 'quick_reply.changed',
    subjectKind: 'quick_reply',
    subjectId: id,
    detail: { key, team: found.teamId, ...(found.key === key ? {} : { was: found.key }) },
  });
  return { ok: true, quickReply: { ...found, key, text, updatedAt: now }, changed: true };
}

/**
 * Where the actor may add quick replies: the organisation (directors, admins, the unrestricted) and the teams they
 * write for (a manager's team and those under it; every team for directors and admins), oldest team first.
 */
export async function quickReplyOwners(
  deps: Pick<CoreDeps, 'db'>,
  actor: Actor,
): Promise<{ organisation: boolean; teams: Array<{ id: number; name: string }>; ownTeam: number | null }> {
  const reach = await quickReplyReach(deps.db, actor.viewer);
  if (!mayWriteQuickReplies(reach)) return { organisation: false, teams: [], ownTeam: null };
  const teams = (await listTeams(deps.db))
    .map((t) => ({ id: Number(t.id), name: t.name }))
    .filter((t) => mayChangeQuickReply(reach, t.id));
  return { organisation: reach.all, teams, ownTeam: reach.ownTeam };
}
