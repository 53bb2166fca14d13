import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import {
  MAX_QUICK_REPLY_CHARS,
  nearest,
  type QuickReply,
  quickReplyKey,
  quickReplyRows,
  shape,
} from './quick-replies.ts';
import { mayChangeQuickReply, maySeeQuickReply, mayWriteQuickReplies, quickReplyReach } from './reach.ts';

type Deps = Pick<CoreDeps, 'db' | 'clock'>;

/** Why the actor may not write quick replies: not a manager or above, or a manager without a team. */
export type NotAllowed = 'not_allowed' | 'no_team';

export type SaveOutcome =
  /** `created` false: the key existed in that team and now has this text. */
  | { ok: true; quickReply: QuickReply; created: boolean }
  /** `key_reused`: this request key already saved another quick reply. */
  | {
      ok: false;
      reason: NotAllowed | 'unknown_team' | 'invalid_key' | 'empty' | 'too_long' | 'key_reused';
    };

/**
 * Adds a quick reply, or gives an existing key of that team a new text. The team: `teamId` when given (null: the
 * organisation's), else a manager's own team, else (directors, admins, the unrestricted) the organisation. Keyed by
 * the request: a retry answers as the first time and writes (and audits) nothing new.
 */
export async function saveQuickReply(
  deps: Deps,
  actor: Actor,
  input: { key: string; text: string; teamId?: number | null },
  requestKey: string,
): Promise<SaveOutcome> {
  const { db } = deps;
  const reach = await quickReplyReach(db, actor.viewer);
  if (!mayWriteQuickReplies(reach)) return { ok: false, reason: refusal(actor) };
  const key = quickReplyKey(input.key);
  if (key === null) return { ok: false, reason: 'invalid_key' };
  const text = input.text.trim();
  if (!text) return { ok: false, reason: 'empty' };
  if ([...text].length > MAX_QUICK_REPLY_CHARS) return { ok: false, reason: 'too_long' };
  const teamId = input.teamId !== undefined ? input.teamId : reach.all ? null : reach.ownTeam;
  if (
    teamId !== null &&
    !(await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst())
  )
    return { ok: false, reason: reach.all ? 'unknown_team' : 'not_allowed' };
  if (!mayChangeQuickReply(reach, teamId)) return { ok: false, reason: 'not_allowed' };

  const earlier = await quickReplyRows(db)
    .where('quick_replies.request_key', '=', requestKey)
    .executeTakeFirst();
  if (earlier) {
    const same = earlier.key === key && earlier.owner_team_id === teamId && earlier.text === text;
    if (!same) return { ok: false, reason: 'key_reused' };
    return { ok: true, quickReply: shape(earlier), created: earlier.created_at === earlier.updated_at };
  }
  const now = deps.clock.now();
  // The unique index over (team, key) decides between two simultaneous adds: the second one changes the text.
  const inserted = await db
    .insertInto('quick_replies')
    .values({
      owner_team_id: teamId,
      key,
      text,
      created_by_staff_id: actor.staffId,
      request_key: requestKey,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  if (!created)
    await db
      .updateTable('quick_replies')
      .set({ text, request_key: requestKey, updated_at: now })
      .where('key', '=', key)
      .where((eb) => (teamId === null ? eb('owner_team_id', 'is', null) : eb('owner_team_id', '=', teamId)))
      .execute();
  const row = await quickReplyRows(db)
    .where('quick_replies.key', '=', key)
    .where((eb) =>
      teamId === null
        ? eb('quick_replies.owner_team_id', 'is', null)
        : eb('quick_replies.owner_team_id', '=', teamId),
    )
    .executeTakeFirstOrThrow();
  const quickReply = shape(row);
  // The key and the team are the record; the text is the team's own wording, kept in the table, not the audit log.
  await audit(db, now, {
    ...auditedAs(actor),
    action: created ? 'quick_reply.added' : 'quick_reply.changed',
    subjectKind: 'quick_reply',
    subjectId: quickReply.id,
    detail: { key, team: teamId },
  });
  return { ok: true, quickReply, created };
}

export type RemoveOutcome =
  | { ok: true; quickReply: QuickReply }
  /** `unknown`: none the actor sees; `ambiguous`: several teams' of that key, none nearer the actor (use the id). */
  | { ok: false; reason: NotAllowed | 'unknown' | 'ambiguous' };

/**
 * Removes a quick reply named by id, or by key: of several the actor may remove under one key, their own team's
 * (or the nearest above it, or the organisation's). One the actor does not see answers as unknown; one they see but
 * may not change (their parent team's) as not allowed. Audited.
 */
export async function removeQuickReply(
  deps: Deps,
  actor: Actor,
  ref: { id: number } | { key: string },
): Promise<RemoveOutcome> {
  const { db } = deps;
  const reach = await quickReplyReach(db, actor.viewer);
  if (!mayWriteQuickReplies(reach)) return { ok: false, reason: refusal(actor) };
  const key = 'key' in ref ? quickReplyKey(ref.key) : null;
  if ('key' in ref && key === null) return { ok: false, reason: 'unknown' };
  let q = quickReplyRows(db);
  q = 'id' in ref ? q.where('quick_replies.id', '=', ref.id) : q.where('quick_replies.key', '=', key ?? '');
  const seen = (await q.execute()).map(shape).filter((r) => maySeeQuickReply(reach, r.teamId));
  if (seen.length === 0) return { ok: false, reason: 'unknown' };
  const mine = seen.filter((r) => mayChangeQuickReply(reach, r.teamId));
  if (mine.length === 0) return { ok: false, reason: 'not_allowed' };
  const target = mine.length === 1 ? mine[0] : nearest(reach, mine);
  if (!target) return { ok: false, reason: 'ambiguous' };
  const deleted = await db.deleteFrom('quick_replies').where('id', '=', target.id).executeTakeFirst();
  // Removed meanwhile by someone else: as unknown, and not audited twice.
  if (Number(deleted.numDeletedRows) === 0) return { ok: false, reason: 'unknown' };
  await audit(db, deps.clock.now(), {
    ...auditedAs(actor),
    action: 'quick_reply.removed',
    subjectKind: 'quick_reply',
    subjectId: target.id,
    detail: { key: target.key, team: target.teamId },
  });
  return { ok: true, quickReply: target };
}

const refusal = (actor: Actor): NotAllowed =>
  actor.viewer?.role === 'manager' && actor.viewer.teamId === null ? 'no_team' : 'not_allowed';
