import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs, mayMarket } from '../../kernel/permissions/actor.ts';
import { mayChangeOwned, ownerReach, ownerTeamFor } from '../../kernel/permissions/ownership.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import {
  countSegment,
  parseSegmentFilter,
  type SegmentFilter,
  type SegmentRow,
  segmentsFor,
  storedFilter,
  unknownStages,
} from './segments.ts';
import { createSegment, deleteSegment, updateSegment } from './store.ts';

type Deps = Pick<CoreDeps, 'db' | 'clock' | 'org'>;

/** A saved segment with its live count within the actor's scope. */
export interface SavedSegment {
  id: number;
  name: string;
  builtin: boolean;
  filter: SegmentFilter | null;
  /** Members the actor reaches now; null when the stored filter is no longer valid. */
  count: number | null;
  /** Whether the actor may rename or delete it. */
  changeable: boolean;
}

/** Names as the API takes them: 1–60 characters, not `#…` nor a number (those name segments by id). */
const nameOk = (name: string) => name.length >= 1 && [...name].length <= 60 && !/^#|^\d+$/.test(name);

/** The segments the actor reaches, built-ins first, each with its member count in the actor's scope. */
export async function savedSegments(deps: Deps, actor: Actor): Promise<SavedSegment[]> {
  const rows = await segmentsFor(deps.db, actor.viewer);
  const reach = await ownerReach(deps.db, actor.viewer);
  const now = deps.clock.now();
  const out: SavedSegment[] = [];
  for (const row of rows) {
    const parsed = storedFilter(row);
    out.push({
      id: row.id,
      name: row.name,
      builtin: row.builtin === 1,
      filter: parsed.ok ? parsed.filter : null,
      count: parsed.ok ? await countSegment(deps, parsed.filter, actor.viewer, now) : null,
      changeable: row.builtin === 0 && mayChangeOwned(reach, row),
    });
  }
  return out;
}

export type SaveSegmentOutcome =
  | { ok: true; segment: SegmentRow; created: boolean }
  | {
      ok: false;
      reason: 'not_allowed' | 'bad_name' | 'bad_filter' | 'unknown_stage' | 'duplicate';
      detail?: string;
    };

/**
 * Saves a segment (managers and above) owned by the actor's team, audited with its filter. A retry of the same save
 * (same name, filter and author) answers as the first and writes nothing new; another segment of the name is refused.
 */
export async function saveSegment(
  deps: Deps,
  actor: Actor,
  input: { name: string; description?: string | null; filter: unknown },
): Promise<SaveSegmentOutcome> {
  if (!mayMarket(actor)) return { ok: false, reason: 'not_allowed' };
  const name = input.name.trim();
  if (!nameOk(name)) return { ok: false, reason: 'bad_name' };
  const parsed = parseSegmentFilter(input.filter);
  if (!parsed.ok) return { ok: false, reason: 'bad_filter', detail: parsed.error };
  const stages = unknownStages(parsed.filter, deps.org.stages);
  if (stages.length > 0) return { ok: false, reason: 'unknown_stage', detail: stages.join(', ') };
  const now = deps.clock.now();
  const outcome = await createSegment(deps.db, now, {
    name,
    description: input.description?.trim() || null,
    filter: parsed.filter,
    createdByStaffId: actor.staffId,
    ownerTeamId: ownerTeamFor(actor.viewer),
  });
  if (outcome.kind === 'duplicate') {
    const same = await deps.db.selectFrom('segments').selectAll().where('name', '=', name).executeTakeFirst();
    if (same && same.created_by_staff_id === actor.staffId && same.filter === JSON.stringify(parsed.filter))
      return { ok: true, segment: same, created: false };
    return { ok: false, reason: 'duplicate' };
  }
  await audit(deps.db, now, {
    ...auditedAs(actor),
    action: 'segment.created',
    subjectKind: 'segment',
    subjectId: outcome.segment.id,
    detail: { name, filter: parsed.filter },
  });
  return { ok: true, segment: outcome.segment, created: true };
}

export type SegmentEditOutcome =
  | { ok: true; segment: SegmentRow }
  | { ok: false; reason: 'not_allowed' | 'bad_name' | 'unknown' | 'builtin' | 'duplicate' | 'in_use' };

/** Renames a segment the actor may change (not a built-in); audited with both names; the same name again is a no-op. */
export async function renameSegment(
  deps: Deps,
  actor: Actor,
  id: number,
  newName: string,
): Promise<SegmentEditOutcome> {
  if (!mayMarket(actor)) return { ok: false, reason: 'not_allowed' };
  const name = newName.trim();
  if (!nameOk(name)) return { ok: false, reason: 'bad_name' };
  const before = await deps.db.selectFrom('segments').select('name').where('id', '=', id).executeTakeFirst();
  const now = deps.clock.now();
  const outcome = await updateSegment(deps.db, now, id, { name }, actor.viewer);
  if (outcome.kind !== 'updated') return { ok: false, reason: outcome.kind };
  if (before && before.name !== name)
    await audit(deps.db, now, {
      ...auditedAs(actor),
      action: 'segment.renamed',
      subjectKind: 'segment',
      subjectId: id,
      detail: { from: before.name, to: name },
    });
  return { ok: true, segment: outcome.segment };
}

/** Deletes a segment the actor may change: not a built-in, nor one a campaign not yet finished reads. Audited. */
export async function removeSegment(deps: Deps, actor: Actor, id: number): Promise<SegmentEditOutcome> {
  if (!mayMarket(actor)) return { ok: false, reason: 'not_allowed' };
  const outcome = await deleteSegment(deps.db, id, actor.viewer);
  if (outcome.kind !== 'deleted') return { ok: false, reason: outcome.kind };
  await audit(deps.db, deps.clock.now(), {
    ...auditedAs(actor),
    action: 'segment.deleted',
    subjectKind: 'segment',
    subjectId: id,
    detail: { name: outcome.segment.name },
  });
  return { ok: true, segment: outcome.segment };
}
