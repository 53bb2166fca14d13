import { messages } from '../../kernel/i18n/index.ts';
import type { CustomerCondition } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundMessage } from '../../ports/outbound.ts';
import { reportStopped } from '../../records/staff/notify.ts';
import type { Sop } from './steps.ts';

/** Whether a customer is (still) in the scope. */
export async function inScope(
  deps: CoreDeps,
  scope: CustomerCondition,
  customerId: number,
): Promise<boolean> {
  const row = await deps.db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .where(scope)
    .executeTakeFirst();
  return row !== undefined;
}

/** Ends one customer's run through an SOP (compare-and-set on its state, so a second pass changes nothing). */
export async function stopEnrollment(deps: CoreDeps, id: number, reason: string, now: number): Promise<void> {
  await deps.db
    .updateTable('sop_enrollments')
    .set({ status: 'stopped', stop_reason: reason, next_due_at: null, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .execute();
}

/**
 * Stops an SOP whose creator left or is no longer a manager or above; the instance that stops it audits and tells
 * every active admin once.
 */
export async function stopSop(deps: CoreDeps, sop: Sop, now: number): Promise<OutboundMessage[]> {
  const stopped = await deps.db
    .updateTable('sops')
    .set({ active: 0, stop_reason: 'owner_gone', updated_at: now })
    .where('id', '=', sop.id)
    .where('active', '=', 1)
    .executeTakeFirst();
  if (Number(stopped.numUpdatedRows) === 0) return [];
  return reportStopped(
    deps,
    { action: 'sop.stopped', subjectKind: 'sop', subjectId: sop.id, reason: 'owner_gone' },
    (lang) => messages(lang).stopped.sop(sop.name, sop.id),
  );
}
