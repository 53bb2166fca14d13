import type { Kysely } from 'kysely';
import type { CustomerUpdate, Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { platformOf, reachCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { reopenSuggestion } from '../customers/duplicates.ts';
import { refreshSearchText } from '../customers/profile.ts';
import { indexCustomerSearch } from '../customers/search-index.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import { moveBack } from './moves.ts';
import { MERGE_COLUMNS } from './rules.ts';
import { customerBefore, type MergeSnapshot } from './snapshot.ts';

/** What an undo did. */
export type UndoOutcome =
  | { kind: 'undone'; mergeId: number; survivorId: number; mergedId: number }
  | { kind: 'unknown' }
  /** Undone already (or never finished). */
  | { kind: 'not_applied'; mergeId: number }
  /** The kept record was merged into another since: that merge must be undone first. */
  | { kind: 'blocked'; mergeId: number; by: number };

/**
 * Undoes a merge from its snapshot: every row it moved goes back to the merged customer, the rows it deleted (a tag,
 * a campaign recipient, an SOP enrollment both had) come back whole, both customers' columns are restored, and the
 * merged record is visible again. Rows written on the kept record after the merge stay with it, and a column changed
 * by someone since the merge keeps that change. A merge whose kept record the actor does not reach reads as unknown.
 */
export async function undoMerge(deps: CoreDeps, mergeId: number, actor: Actor): Promise<UndoOutcome> {
  const { db } = deps;
  const row = await db.selectFrom('customer_merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  // Kept record merged away since: it is reached through the record it went into (the blocked answer names that merge).
  const kept = await customerBefore(db, row.survivor_id);
  const reachable = kept?.merged_into_id ?? row.survivor_id;
  if (!(await reachCustomer(db, actor, reachable))) return { kind: 'unknown' };
  const { survivor_id: survivorId, merged_id: mergedId } = row;
  if (row.status !== 'applied' && row.status !== 'undoing') return { kind: 'not_applied', mergeId };
  const survivor = await customerBefore(db, survivorId);
  if (!survivor) return { kind: 'unknown' };
  if (survivor.merged_into_id !== null) {
    const later = await db
      .selectFrom('customer_merges')
      .select('id')
      .where('merged_id', '=', survivorId)
      .where('status', '=', 'applied')
      .executeTakeFirst();
    return { kind: 'blocked', mergeId, by: later?.id ?? 0 };
  }
  // The claim: of two undos at once one marks it; a re-run after a crash finds it `undoing` and finishes.
  const claimed = await db
    .updateTable('customer_merges')
    .set({ status: 'undoing' })
    .where('id', '=', mergeId)
    .where('status', '=', 'applied')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0 && row.status !== 'undoing')
    return { kind: 'not_applied', mergeId };

  const s = JSON.parse(row.snapshot) as MergeSnapshot;
  const now = deps.clock.now();
  await moveBack(db, s, survivorId, mergedId);
  const exact = await restoreSurvivor(db, s, survivorId, survivor);
  await db
    .updateTable('customers')
    .set({ merged_into_id: null, updated_at: s.merged.updated_at })
    .where('id', '=', mergedId)
    .where('merged_into_id', '=', survivorId)
    .execute();
  // The merge left the merged record's search text alone; the kept one's is as before when all of it came back.
  if (exact) await indexCustomerSearch(db, survivorId);
  else await refreshSearchText(db, survivorId);
  await indexCustomerSearch(db, mergedId);
  for (const [customerId, other] of [
    [survivorId, mergedId],
    [mergedId, survivorId],
  ] as const) {
    await recordCustomerEvent(db, {
      customerId,
      key: `merge:${mergeId}:unmerged:${customerId}`,
      at: now,
      kind: 'unmerged',
      ...(platformOf(actor) ? { platform: platformOf(actor) } : {}),
      actorStaffId: actor.staffId,
      detail: { merge: mergeId, other },
    });
  }
  await reopenSuggestion(db, Math.min(survivorId, mergedId), Math.max(survivorId, mergedId), now);
  const done = await db
    .updateTable('customer_merges')
    .set({
      status: 'undone',
      undone_at: now,
      pair_key: `${row.pair_key.split(':').slice(0, 2).join(':')}:undone:${mergeId}`,
    })
    .where('id', '=', mergeId)
    .where('status', '=', 'undoing')
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) > 0) {
    await audit(db, now, {
      ...auditedAs(actor),
      action: 'customer.unmerged',
      subjectKind: 'customer',
      subjectId: survivorId,
      detail: { merge: mergeId, restored: mergedId },
    });
  }
  return { kind: 'undone', mergeId, survivorId, mergedId };
}

/**
 * Puts back the kept record's columns the merge changed, unless someone changed them since (that later change stays).
 * True when every column came back, so its stored search text is exactly the one from before.
 */
async function restoreSurvivor(
  db: Kysely<Database>,
  s: MergeSnapshot,
  survivorId: number,
  current: Record<string, unknown>,
): Promise<boolean> {
  const set: Record<string, unknown> = {};
  let exact = true;
  for (const col of MERGE_COLUMNS) {
    if (s.survivor[col] === s.survivorAfter[col] || current[col] === s.survivor[col]) continue;
    if (current[col] === s.survivorAfter[col]) set[col] = s.survivor[col];
    else exact = false;
  }
  if (exact) Object.assign(set, { search_text: s.survivor.search_text, updated_at: s.survivor.updated_at });
  if (Object.keys(set).length > 0) {
    await db
      .updateTable('customers')
      .set(set as CustomerUpdate)
      .where('id', '=', survivorId)
      .execute();
  }
  return exact;
}
