import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import { maySeeQuickReply, type QuickReplyReach, quickReplyReach } from './reach.ts';

/** A key is at most this many characters: something typed after a colon, not a sentence. */
export const MAX_QUICK_KEY_CHARS = 20;
/** A quick reply is at most this many characters, leaving room in a reply (4000) for text added after the key. */
export const MAX_QUICK_REPLY_CHARS = 2000;

const KEY = new RegExp(`^[\\p{L}\\p{N}_-]{1,${MAX_QUICK_KEY_CHARS}}$`, 'u');

/** A quick reply as core functions give it, with its team's name (null: the organisation's). */
export interface QuickReply {
  id: number;
  key: string;
  text: string;
  teamId: number | null;
  teamName: string | null;
  createdByStaffId: number | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * A key as typed (`price`, `:Price`, `：报价`, full-width `ｐｒｉｃｅ`) in its stored form: without the colon,
 * NFKC-folded and lower-cased, so what a Chinese keyboard types finds the same quick reply. Letters (Chinese
 * included), digits, `_` and `-`; null when it is not a key.
 */
export function quickReplyKey(typed: string): string | null {
  const key = typed
    .trim()
    .replace(/^[:：]/, '')
    .normalize('NFKC')
    .toLowerCase();
  return KEY.test(key) ? key : null;
}

/**
 * A reply that names a quick reply: `:key`, or `:key` and more text after a space (sent on a line of its own after
 * the quick reply's text). The colon may be full-width (`：`). Null for any other text, a colon before something that
 * cannot be a key (`:)`) included, so ordinary replies are never taken for one.
 */
export function quickReplyReference(text: string): { key: string; rest: string } | null {
  const m = /^\s*[:：]([^\s:：]+)(?:\s+([\s\S]*))?$/u.exec(text);
  const key = m?.[1] === undefined ? null : quickReplyKey(m[1]);
  return key === null ? null : { key, rest: (m?.[2] ?? '').trim() };
}

/** Every quick reply the actor reads: their team's and its ancestors', the organisation's, and what they manage. */
export async function listQuickReplies(db: Kysely<Database>, actor: Actor): Promise<QuickReply[]> {
  const reach = await quickReplyReach(db, actor.viewer);
  let q = quickReplyRows(db).orderBy('quick_replies.key').orderBy('quick_replies.id');
  if (!reach.all) {
    const teams = [...new Set([...reach.chain, ...reach.changeTeams])];
    q = q.where((eb) =>
      eb.or([
        eb('quick_replies.owner_team_id', 'is', null),
        ...(teams.length > 0 ? [eb('quick_replies.owner_team_id', 'in', teams)] : []),
      ]),
    );
  }
  return (await q.execute()).map(shape).filter((r) => maySeeQuickReply(reach, r.teamId));
}

/**
 * The quick reply `:key` sends for this viewer: the one of their own team, else of the nearest team above it, else
 * the organisation's; null when none of those has the key. Another team's quick replies are never used, not even by
 * directors (who manage them all but send from where they sit); null viewer (the API's admin token): the
 * organisation's only.
 */
export async function findQuickReply(
  db: Kysely<Database>,
  viewer: Viewer | null,
  key: string,
): Promise<QuickReply | null> {
  const reach = await quickReplyReach(db, viewer);
  const rows = (await quickReplyRows(db).where('quick_replies.key', '=', key).execute()).map(shape);
  return nearest(reach, rows) ?? null;
}

/** Of several quick replies of one key, the one nearest the actor: their team's, up the tree, the organisation's. */
export function nearest(reach: QuickReplyReach, rows: QuickReply[]): QuickReply | undefined {
  const rank = (q: QuickReply) => (q.teamId === null ? reach.chain.length : reach.chain.indexOf(q.teamId));
  return rows
    .filter((q) => rank(q) >= 0)
    .sort((a, b) => rank(a) - rank(b))
    .at(0);
}

/** Quick replies with their team's name, to narrow and order. */
export function quickReplyRows(db: Kysely<Database>) {
  return db
    .selectFrom('quick_replies')
    .leftJoin('teams', 'teams.id', 'quick_replies.owner_team_id')
    .select([
      'quick_replies.id',
      'quick_replies.key',
      'quick_replies.text',
      'quick_replies.owner_team_id',
      'quick_replies.created_by_staff_id',
      'quick_replies.request_key',
      'quick_replies.created_at',
      'quick_replies.updated_at',
      'teams.name as team_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof quickReplyRows>['executeTakeFirstOrThrow']>>;

export const shape = (r: Row): QuickReply => ({
  id: Number(r.id),
  key: r.key,
  text: r.text,
  teamId: r.owner_team_id === null ? null : Number(r.owner_team_id),
  teamName: r.team_name,
  createdByStaffId: r.created_by_staff_id === null ? null : Number(r.created_by_staff_id),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});
