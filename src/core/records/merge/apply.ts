import type { Kysely, Selectable } from 'kysely';
import type { CustomerMergeTable, Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { platformOf, type ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { markSuggestionMerged } from '../customers/duplicates.ts';
import { refreshSearchText } from '../customers/profile.ts';
import { indexCustomerSearch } from '../customers/search-index.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import { moveToSurvivor } from './moves.ts';
import { survivorColumns } from './rules.ts';
import { customerBefore, type MergeSnapshot, MOVED_TABLES, takeSnapshot } from './snapshot.ts';

/** A claim left unfinished this long (its process died) may be finished by another request for the same merge. */
const STALE_CLAIM_MS = 5 * 60_000;

/** What a merge request did. */
export type ApplyOutcome =
  | { kind: 'merged'; mergeId: number; survivorId: number; mergedId: number }
  /** The pair is merged (or being merged) by another request: this one changed nothing. */
  | { kind: 'already'; mergeId: number; survivorId: number; mergedId: number }
  /** Another merge involving one of the two is under way: try again in a moment. */
  | { kind: 'busy' }
  /** Either customer does not exist or is merged into someone else already. */
  | { kind: 'unknown' }
  | { kind: 'same' };

type MergeRow = Selectable<CustomerMergeTable>;

/** The `pair_key` of two customers while a merge of them is applied. */
export const pairKey = (a: number, b: number): string => `${Math.min(a, b)}:${Math.max(a, b)}`;

const keyOf = (row: MergeRow): string | undefined => (JSON.parse(row.snapshot) as { key?: string }).key;

/**
 * Merges `mergedId` into `survivorId`: every identity, chat, message, note, tag (with its source), deal, reminder,
 * event, source and alert moves to the survivor; the survivor's columns follow the merge rules (see `mergedValues`);
 * the merged record is hidden (`merged_into_id`). Both customers were reached by the one actor doing it.
 *
 * No transaction (D1): the pair is claimed first (a unique `pair_key`, so of two simultaneous merges of the pair one
 * wins and the other answers "already"), then everything it will change is recorded in the claim's snapshot, then
 * rows move with statements that are harmless to repeat. A redelivered request (same `key`) merges once, and finishes
 * a merge its first delivery left half done.
 */
export function applyMerge(
  deps: CoreDeps,
  survivor: ReachedCustomer,
  merged: ReachedCustomer,
  key: string,
): Promise<ApplyOutcome> {
  if (survivor.actor !== merged.actor) return Promise.resolve({ kind: 'unknown' });
  return mergeAs(deps, survivor.id, merged.id, survivor.actor, key);
}

async function mergeAs(
  deps: CoreDeps,
  survivorId: number,
  mergedId: number,
  actor: Actor,
  key: string,
): Promise<ApplyOutcome> {
  if (survivorId === mergedId) return { kind: 'same' };
  const { db } = deps;
  const pair = pairKey(survivorId, mergedId);
  const existing = await findPair(db, pair);
  if (existing) return answerExisting(deps, existing, key, actor);

  const [s, m] = await Promise.all([customerBefore(db, survivorId), customerBefore(db, mergedId)]);
  if (!s || !m || s.merged_into_id !== null || m.merged_into_id !== null) return { kind: 'unknown' };
  const now = deps.clock.now();
  await db
    .insertInto('customer_merges')
    .values({
      survivor_id: survivorId,
      merged_id: mergedId,
      pair_key: pair,
      status: 'applying',
      snapshot: JSON.stringify({ key }),
      actor_staff_id: actor.staffId ?? null,
      via: actor.via,
      created_at: now,
    })
    .onConflict((oc) => oc.column('pair_key').doNothing())
    .execute();
  const claim = await findPair(db, pair);
  if (!claim) return { kind: 'busy' }; // undone in between: nothing to answer with
  if (keyOf(claim) !== key) return answerExisting(deps, claim, key, actor);

  // Another merge touching either customer claimed first: it goes on, this one steps back (and changed nothing).
  const earlier = await db
    .selectFrom('customer_merges')
    .select('id')
    .where('status', '=', 'applying')
    .where('id', '<', claim.id)
    .where((eb) =>
      eb.or([eb('survivor_id', 'in', [survivorId, mergedId]), eb('merged_id', 'in', [survivorId, mergedId])]),
    )
    .executeTakeFirst();
  const [s2, m2] = await Promise.all([customerBefore(db, survivorId), customerBefore(db, mergedId)]);
  if (earlier || !s2 || !m2 || s2.merged_into_id !== null || m2.merged_into_id !== null) {
    await db
      .deleteFrom('customer_merges')
      .where('id', '=', claim.id)
      .where('status', '=', 'applying')
      .execute();
    return earlier ? { kind: 'busy' } : { kind: 'unknown' };
  }
  const after = survivorColumns(deps.org.stages, s2, m2);
  const snapshot = await takeSnapshot(db, s2, m2, { survivorId, mergedId }, after, key);
  await db
    .updateTable('customer_merges')
    .set({ snapshot: JSON.stringify(snapshot) })
    .where('id', '=', claim.id)
    .execute();
  return finish(deps, { ...claim, snapshot: JSON.stringify(snapshot) }, actor);
}

function findPair(db: Kysely<Database>, pair: string) {
  return db.selectFrom('customer_merges').selectAll().where('pair_key', '=', pair).executeTakeFirst();
}

/** A merge of the pair exists: this request's own (finish it if needed), or someone else's. */
async function answerExisting(
  deps: CoreDeps,
  row: MergeRow,
  key: string,
  actor: Actor,
): Promise<ApplyOutcome> {
  const ids = { mergeId: row.id, survivorId: row.survivor_id, mergedId: row.merged_id };
  const mine = keyOf(row) === key;
  if (row.status === 'applied') return { kind: mine ? 'merged' : 'already', ...ids };
  if (row.status !== 'applying') return { kind: 'busy' }; // being undone
  const snapshot = JSON.parse(row.snapshot) as Partial<MergeSnapshot>;
  const stale = deps.clock.now() - row.created_at > STALE_CLAIM_MS;
  if (!mine && !stale) return { kind: 'already', ...ids };
  // A claim whose snapshot was written is finished by its own redelivery, or by anyone once its process is gone.
  if (snapshot.version === 1) return finish(deps, row, actor);
  // Claimed but nothing recorded, so nothing changed yet: the claim is dropped and the merge starts over.
  await deps.db
    .deleteFrom('customer_merges')
    .where('id', '=', row.id)
    .where('snapshot', '=', row.snapshot)
    .where('status', '=', 'applying')
    .execute();
  return mergeAs(deps, row.survivor_id, row.merged_id, actor, key);
}

/** Carries out a claimed merge from its snapshot (again, after a crash: every step is harmless to repeat). */
async function finish(deps: CoreDeps, row: MergeRow, actor: Actor): Promise<ApplyOutcome> {
  const { db } = deps;
  const s = JSON.parse(row.snapshot) as MergeSnapshot;
  const { survivor_id: survivorId, merged_id: mergedId } = row;
  const now = deps.clock.now();
  await moveToSurvivor(db, s, survivorId, mergedId);
  await db
    .updateTable('customers')
    .set({ merged_into_id: survivorId, updated_at: now })
    .where('id', '=', mergedId)
    .execute();
  await db
    .updateTable('customers')
    .set({ ...s.survivorAfter, updated_at: now })
    .where('id', '=', survivorId)
    .execute();
  await refreshSearchText(db, survivorId);
  await indexCustomerSearch(db, mergedId); // a merged-away record keeps no search keys
  const detail = { merge: row.id, merged: mergedId, moved: movedCounts(s) };
  await recordCustomerEvent(db, {
    customerId: survivorId,
    key: `merge:${row.id}:merged`,
    at: now,
    kind: 'merged',
    ...(platformOf(actor) ? { platform: platformOf(actor) } : {}),
    actorStaffId: actor.staffId,
    detail: { merge: row.id, merged: mergedId },
  });
  await markSuggestionMerged(db, Math.min(survivorId, mergedId), Math.max(survivorId, mergedId), now);
  const done = await db
    .updateTable('customer_merges')
    .set({ status: 'applied' })
    .where('id', '=', row.id)
    .where('status', '=', 'applying')
    .executeTakeFirst();
  // Once per merge: the request that marked it applied writes the entry.
  if (Number(done.numUpdatedRows) > 0) {
    await audit(db, now, {
      ...auditedAs(actor),
      action: 'customer.merged',
      subjectKind: 'customer',
      subjectId: survivorId,
      detail,
    });
  }
  return { kind: 'merged', mergeId: row.id, survivorId, mergedId };
}

/** How many rows of each table moved (tables with none left out), for the audit entry. */
export function movedCounts(s: MergeSnapshot): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of MOVED_TABLES) if (s.moved[t].length > 0) counts[t] = s.moved[t].length;
  if (s.tags.moved.length + s.tags.dropped.length > 0) counts.customer_tags = s.tags.moved.length;
  return counts;
}
