import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';

// Merging two customer records into one, and undoing it exactly. The parts live beside this file:
// rules.ts (which values win), snapshot.ts (what a merge records), moves.ts (moving rows), apply.ts, undo.ts, preview.ts.

export { type ApplyOutcome, applyMerge, pairKey } from './apply.ts';
export { mergeCustomersAs } from './merge-as.ts';
export {
  type MergePreview,
  type MergeSide,
  mayMerge,
  type PreviewOutcome,
  previewMerge,
} from './preview.ts';
export { type MergedValue, type MergedValues, type MergeReason, mergedValues } from './rules.ts';
export { type UndoOutcome, undoMerge } from './undo.ts';

/** A merge as lists and `/unmerge` show it. */
export interface MergeRecord {
  id: number;
  survivorId: number;
  mergedId: number;
  status: string;
  createdAt: number;
  undoneAt: number | null;
}

/** The latest applied merge into a customer (what `/unmerge <customer>` undoes), or undefined. */
export async function latestMergeInto(
  db: Kysely<Database>,
  survivorId: number,
): Promise<MergeRecord | undefined> {
  const row = await db
    .selectFrom('customer_merges')
    .select(['id', 'survivor_id', 'merged_id', 'status', 'created_at', 'undone_at'])
    .where('survivor_id', '=', survivorId)
    .where('status', '=', 'applied')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && toRecord(row);
}

/** One merge by id, or undefined. */
export async function findMerge(db: Kysely<Database>, mergeId: number): Promise<MergeRecord | undefined> {
  const row = await db
    .selectFrom('customer_merges')
    .select(['id', 'survivor_id', 'merged_id', 'status', 'created_at', 'undone_at'])
    .where('id', '=', mergeId)
    .executeTakeFirst();
  return row && toRecord(row);
}

const toRecord = (r: {
  id: number;
  survivor_id: number;
  merged_id: number;
  status: string;
  created_at: number;
  undone_at: number | null;
}): MergeRecord => ({
  id: r.id,
  survivorId: r.survivor_id,
  mergedId: r.merged_id,
  status: r.status,
  createdAt: r.created_at,
  undoneAt: r.undone_at,
});
