import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { mayChangeOwned, ownerReach } from '../../kernel/permissions/ownership.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import type { SegmentFilter } from './filter.ts';
import { BUILTIN_TITLES, type SegmentRow } from './segments.ts';

/** Campaigns in these states still read their segment: it may not be deleted under them. */
const LIVE_CAMPAIGNS = ['draft', 'scheduled', 'running', 'paused'] as const;

export interface SegmentInput {
  name: string;
  description?: string | null;
  filter: SegmentFilter;
}

/** A name another segment has, or one a built-in answers to (沉睡客户…), so references stay unambiguous. */
async function nameTaken(db: Kysely<Database>, name: string, exceptId: number | null): Promise<boolean> {
  const lower = name.toLowerCase();
  if (Object.values(BUILTIN_TITLES).some((t) => t.zh === name || t.en.toLowerCase() === lower)) return true;
  const rows = await db.selectFrom('segments').select(['id', 'name']).execute();
  return rows.some((r) => r.id !== exceptId && r.name.toLowerCase() === lower);
}

/** Saves a new segment; `duplicate` when the name is taken (in any letter case). */
export async function createSegment(
  db: Kysely<Database>,
  now: number,
  input: SegmentInput & { createdByStaffId: number | null; ownerTeamId: number | null },
): Promise<{ kind: 'created'; segment: SegmentRow } | { kind: 'duplicate' }> {
  if (await nameTaken(db, input.name, null)) return { kind: 'duplicate' };
  const inserted = await db
    .insertInto('segments')
    .values({
      name: input.name,
      description: input.description ?? null,
      filter: JSON.stringify(input.filter),
      builtin: 0,
      created_by_staff_id: input.createdByStaffId,
      owner_team_id: input.ownerTeamId,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { kind: 'duplicate' };
  const segment = await db
    .selectFrom('segments')
    .selectAll()
    .where('name', '=', input.name)
    .executeTakeFirstOrThrow();
  return { kind: 'created', segment };
}

export type SegmentChange =
  | { kind: 'updated'; segment: SegmentRow }
  | { kind: 'unknown' }
  | { kind: 'builtin' }
  | { kind: 'duplicate' };

/** Changes a saved segment's name, description or filter; built-ins are not editable. */
export async function updateSegment(
  db: Kysely<Database>,
  now: number,
  id: number,
  patch: Partial<SegmentInput>,
  viewer: Viewer | null,
): Promise<SegmentChange> {
  const row = await db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  if (row.builtin === 1) return { kind: 'builtin' };
  // Another team's segment is answered as unknown.
  if (!mayChangeOwned(await ownerReach(db, viewer), row)) return { kind: 'unknown' };
  if (patch.name !== undefined && (await nameTaken(db, patch.name, id))) return { kind: 'duplicate' };
  await db
    .updateTable('segments')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.filter !== undefined ? { filter: JSON.stringify(patch.filter) } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('builtin', '=', 0)
    .execute();
  const segment = await db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
  return segment ? { kind: 'updated', segment } : { kind: 'unknown' };
}

/** Deletes a saved segment: not a built-in, nor one a campaign still being prepared or sent reads. */
export async function deleteSegment(
  db: Kysely<Database>,
  id: number,
  viewer: Viewer | null,
): Promise<
  { kind: 'deleted'; segment: SegmentRow } | { kind: 'unknown' } | { kind: 'builtin' } | { kind: 'in_use' }
> {
  const row = await db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  if (row.builtin === 1) return { kind: 'builtin' };
  if (!mayChangeOwned(await ownerReach(db, viewer), row)) return { kind: 'unknown' };
  const used = await db
    .selectFrom('campaigns')
    .select('id')
    .where('segment_id', '=', id)
    .where('status', 'in', [...LIVE_CAMPAIGNS])
    .executeTakeFirst();
  if (used) return { kind: 'in_use' };
  await db.deleteFrom('segments').where('id', '=', id).where('builtin', '=', 0).execute();
  return { kind: 'deleted', segment: row };
}
