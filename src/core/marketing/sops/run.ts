import { ownerNow } from '../../kernel/permissions/ownership.ts';
import { type CustomerCondition, customerScope } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { enrollNewMatches } from './enroll.ts';
import { inScope, stopEnrollment, stopSop } from './owner-scope.ts';
import { runDueStep } from './step.ts';
import { sopOf } from './steps.ts';

/** Due steps run per pass; the rest in the next pass, a few seconds later. */
const STEP_BATCH = 50;

/**
 * Enrolls customers who newly match an SOP's trigger and runs the steps that are due, queueing sends through `queue`
 * before recording a step as run. Cheap when idle (one scan per active SOP, one due-step query) and safe on every
 * instance at once: enrollments, sends, reminders and outreach records are all keyed, and a step is marked run by a
 * compare-and-set on its index. How many enrollments and steps moved.
 */
export async function runSops(
  deps: CoreDeps,
  queue: (sends: OutboxItem[]) => Promise<void>,
): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const sops = (await db.selectFrom('sops').selectAll().where('active', '=', 1).execute()).map(sopOf);
  if (sops.length === 0) return 0;
  let moved = 0;
  // Each SOP reaches only customers in its creator's scope as it is now; one whose creator left or lost the role stops.
  const scopes = new Map<number, CustomerCondition | null>();
  for (const sop of sops) {
    const owner = await ownerNow(db, sop.createdByStaffId);
    if (owner === 'gone') {
      await queue(await stopSop(deps, sop, now));
      continue;
    }
    const scope = owner ? customerScope(db, owner) : null;
    scopes.set(sop.id, scope);
    moved += await enrollNewMatches(deps, sop, now, scope);
  }
  const byId = new Map(sops.filter((s) => scopes.has(s.id)).map((s) => [s.id, s]));
  const due = await db
    .selectFrom('sop_enrollments as e')
    .innerJoin('sops', 'sops.id', 'e.sop_id')
    .select(['e.id', 'e.sop_id', 'e.customer_id', 'e.started_at', 'e.stage_at_start', 'e.next_step'])
    .where('e.status', '=', 'active')
    .where('e.next_due_at', '<=', now)
    .where('sops.active', '=', 1) // a paused SOP's customers wait
    .orderBy('e.next_due_at')
    .limit(STEP_BATCH)
    .execute();
  for (const e of due) {
    const sop = byId.get(Number(e.sop_id));
    if (!sop) continue; // resumed after this pass read the SOPs
    const enrollment = {
      id: Number(e.id),
      customerId: Number(e.customer_id),
      startedAt: Number(e.started_at),
      stageAtStart: e.stage_at_start,
      nextStep: Number(e.next_step),
    };
    const scope = scopes.get(sop.id) ?? null;
    if (scope && !(await inScope(deps, scope, enrollment.customerId))) {
      await stopEnrollment(deps, enrollment.id, 'out_of_scope', now);
      continue;
    }
    if (await runDueStep(deps, sop, enrollment, queue, now)) moved++;
  }
  return moved;
}
