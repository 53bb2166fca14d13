import type { SopTrigger } from '../../../../db/schema.ts';
import { type AuditEntry, audit } from '../../kernel/audit.ts';
import {
  mayChangeOwned,
  maySeeOwnedNow,
  ownedCondition,
  ownerReach,
  ownerTeamFor,
} from '../../kernel/permissions/ownership.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type Sop, type SopStep, sopOf } from './steps.ts';

/** How many of an SOP's customers are in each state, and why the stopped ones stopped. */
export interface SopEnrollmentCounts {
  total: number;
  active: number;
  stopped: number;
  done: number;
  /** Stopped enrollments by reason: replied, stage_changed, do_not_contact, merged. */
  stoppedBy: Record<string, number>;
}

export type SopWithCounts = Sop & { enrollments: SopEnrollmentCounts };

/** Who changes an SOP, for the audit log. */
export type SopActor = Pick<AuditEntry, 'actorKind' | 'actorStaffId' | 'via'>;

/**
 * Creates an SOP (active at once). Its trigger only counts from now on: customers tagged, moved or arriving before
 * it existed are not enrolled. `duplicate` when an SOP has the name.
 */
export async function createSop(
  deps: CoreDeps,
  input: { name: string; trigger: { kind: SopTrigger; value: string }; steps: SopStep[] },
  actor: SopActor,
  viewer: Viewer | null = null,
): Promise<{ kind: 'created'; sop: Sop } | { kind: 'duplicate' }> {
  const { db } = deps;
  const now = deps.clock.now();
  const inserted = await db
    .insertInto('sops')
    .values({
      name: input.name,
      trigger_kind: input.trigger.kind,
      trigger_value: input.trigger.value,
      steps: JSON.stringify(input.steps),
      active: 1,
      scanned_until: now,
      created_by_staff_id: actor.actorStaffId ?? null,
      owner_team_id: ownerTeamFor(viewer),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return { kind: 'duplicate' };
  const row = await db
    .selectFrom('sops')
    .selectAll()
    .where('name', '=', input.name)
    .executeTakeFirstOrThrow();
  await audit(db, now, {
    ...actor,
    action: 'sop.created',
    subjectKind: 'sop',
    subjectId: row.id,
    detail: { name: input.name, trigger: input.trigger, steps: input.steps.length },
  });
  return { kind: 'created', sop: sopOf(row) };
}

/** Every SOP the viewer reaches (null: all), oldest first, with its enrollment counts. */
export async function listSops(deps: CoreDeps, viewer: Viewer | null = null): Promise<SopWithCounts[]> {
  const where = ownedCondition(await ownerReach(deps.db, viewer), 'sops');
  let q = deps.db.selectFrom('sops').selectAll().orderBy('id');
  if (where) q = q.where(where);
  const rows = await q.execute();
  const counts = await enrollmentCounts(deps, null);
  return rows.map((r) => ({ ...sopOf(r), enrollments: counts.get(Number(r.id)) ?? emptyCounts() }));
}

/** One SOP with its enrollment counts, or null (also for another team's). */
export async function getSop(
  deps: CoreDeps,
  id: number,
  viewer: Viewer | null = null,
): Promise<SopWithCounts | null> {
  const row = await deps.db.selectFrom('sops').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !(await maySeeOwnedNow(deps.db, await ownerReach(deps.db, viewer), row))) return null;
  const counts = await enrollmentCounts(deps, id);
  return { ...sopOf(row), enrollments: counts.get(id) ?? emptyCounts() };
}

/**
 * Pauses or resumes an SOP (audited when it changed). A paused SOP enrolls nobody and runs no step; resumed, it
 * enrolls from the moment of resuming (who matched while it was paused is not enrolled) and its enrolled customers
 * continue. null: no such SOP.
 */
export async function setSopActive(
  deps: CoreDeps,
  id: number,
  active: boolean,
  actor: SopActor,
  viewer: Viewer | null = null,
): Promise<SopWithCounts | null> {
  const { db } = deps;
  const now = deps.clock.now();
  const row = await db
    .selectFrom('sops')
    .select(['active', 'scanned_until', 'owner_team_id', 'created_by_staff_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || !mayChangeOwned(await ownerReach(db, viewer), row)) return null;
  if ((row.active === 1) !== active) {
    await db
      .updateTable('sops')
      .set({
        active: active ? 1 : 0,
        stop_reason: null,
        updated_at: now,
        ...(active ? { scanned_until: Math.max(Number(row.scanned_until), now) } : {}),
      })
      .where('id', '=', id)
      .execute();
    await audit(db, now, {
      ...actor,
      action: active ? 'sop.resumed' : 'sop.paused',
      subjectKind: 'sop',
      subjectId: id,
    });
  }
  return getSop(deps, id);
}

const emptyCounts = (): SopEnrollmentCounts => ({ total: 0, active: 0, stopped: 0, done: 0, stoppedBy: {} });

async function enrollmentCounts(
  deps: CoreDeps,
  sopId: number | null,
): Promise<Map<number, SopEnrollmentCounts>> {
  let q = deps.db
    .selectFrom('sop_enrollments')
    .select(['sop_id', 'status', 'stop_reason', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['sop_id', 'status', 'stop_reason']);
  if (sopId !== null) q = q.where('sop_id', '=', sopId);
  const byId = new Map<number, SopEnrollmentCounts>();
  for (const r of await q.execute()) {
    const id = Number(r.sop_id);
    const n = Number(r.n);
    const c = byId.get(id) ?? emptyCounts();
    c.total += n;
    if (r.status === 'active' || r.status === 'stopped' || r.status === 'done') c[r.status] += n;
    if (r.status === 'stopped') {
      const reason = r.stop_reason ?? 'other';
      c.stoppedBy[reason] = (c.stoppedBy[reason] ?? 0) + n;
    }
    byId.set(id, c);
  }
  return byId;
}
