import { languageOf, lookup, messages } from '../../kernel/i18n/index.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { recordCustomerEvent } from '../../records/timeline/customer-events.ts';
import { type OutreachSkip, outreachMessage, reserveOutreach } from '../outreach/outreach.ts';
import { type Sop, type SopStep, stepOffsetMs } from './steps.ts';

/** An enrollment whose next step is due. */
export interface DueEnrollment {
  id: number;
  customerId: number;
  startedAt: number;
  stageAtStart: string;
  nextStep: number;
}

/** Why an enrollment stopped before its last step. */
export type SopStopReason = 'replied' | 'stage_changed' | 'do_not_contact' | 'merged';

/** What became of one step. */
type StepOutcome =
  | { kind: 'sent' }
  | { kind: 'reminded'; because?: OutreachSkip | 'wecom_template' }
  | { kind: 'skipped'; reason: string };

/**
 * Runs an enrollment's due step: stops it first when the customer replied since enrollment, their stage moved, or
 * they asked not to be contacted; else messages the customer (the campaigns' outreach rules: do-not-contact, the
 * frequency cap, the platform's windows) or reminds the owner, and moves to the next step. The send is queued and
 * the reminder written (both keyed `sop:<enrollment>:<step>`) before the step is marked run, so a crash or a second
 * instance repeats the step harmlessly. Whether the enrollment moved.
 */
export async function runDueStep(
  deps: CoreDeps,
  sop: Sop,
  e: DueEnrollment,
  queue: (sends: OutboxItem[]) => Promise<void>,
  now: number,
): Promise<boolean> {
  const stop = await stopReason(deps, e);
  if (stop) return finish(deps, e, 'stopped', stop, now);
  const step = sop.steps[e.nextStep];
  if (!step) return finish(deps, e, 'done', null, now);
  const key = `sop:${e.id}:${e.nextStep}`;
  const outcome =
    step.action === 'message'
      ? await messageStep(deps, sop, e, step, key, queue, now)
      : await remindOwner(deps, sop, e, step, key, null, now);
  await recordCustomerEvent(deps.db, {
    customerId: e.customerId,
    key,
    at: now,
    kind: 'sop_step',
    detail: { sop: sop.name, sopId: sop.id, step: e.nextStep + 1, action: step.action, ...outcome },
  });
  const next = sop.steps[e.nextStep + 1];
  // Overdue steps (a paused SOP, a stopped server) keep their spacing rather than arriving all at once.
  const nextDue = next
    ? Math.max(e.startedAt + stepOffsetMs(next), now + stepOffsetMs(next) - stepOffsetMs(step))
    : null;
  const moved = await deps.db
    .updateTable('sop_enrollments')
    .set({
      next_step: e.nextStep + 1,
      next_due_at: nextDue,
      status: next ? 'active' : 'done',
      updated_at: now,
    })
    .where('id', '=', e.id)
    .where('status', '=', 'active')
    .where('next_step', '=', e.nextStep)
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) > 0;
}

async function stopReason(deps: CoreDeps, e: DueEnrollment): Promise<SopStopReason | null> {
  const { db } = deps;
  const c = await db
    .selectFrom('customers')
    .select(['stage', 'do_not_contact', 'merged_into_id'])
    .where('id', '=', e.customerId)
    .executeTakeFirst();
  if (!c || c.merged_into_id !== null) return 'merged';
  const reply = await db
    .selectFrom('messages')
    .select('id')
    .where('customer_id', '=', e.customerId)
    .where('direction', '=', 'in')
    .where('sent_at', '>', e.startedAt)
    .limit(1)
    .executeTakeFirst();
  if (reply) return 'replied';
  if (c.stage !== e.stageAtStart) return 'stage_changed';
  if (c.do_not_contact !== 0) return 'do_not_contact';
  return null;
}

async function finish(
  deps: CoreDeps,
  e: DueEnrollment,
  status: 'stopped' | 'done',
  reason: SopStopReason | null,
  now: number,
): Promise<boolean> {
  const r = await deps.db
    .updateTable('sop_enrollments')
    .set({ status, stop_reason: reason, next_due_at: null, updated_at: now })
    .where('id', '=', e.id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A message step: to the customer's chat when the rules allow it, else the owner is asked to send it by hand. */
async function messageStep(
  deps: CoreDeps,
  sop: Sop,
  e: DueEnrollment,
  step: SopStep,
  key: string,
  queue: (sends: OutboxItem[]) => Promise<void>,
  now: number,
): Promise<StepOutcome> {
  const decision = await reserveOutreach(
    deps,
    { customerId: e.customerId, kind: 'sop', ref: String(sop.id), key, at: now },
    now,
  );
  if (!decision.ok) {
    if (decision.reason === 'do_not_contact') return { kind: 'skipped', reason: 'do_not_contact' };
    return remindOwner(deps, sop, e, step, key, decision.reason, now);
  }
  const route = decision.route;
  if (route.kind === 'wecom_template') {
    // A WeCom contact is reached only by its member: they get the text to send from their own client.
    return remindOwner(deps, sop, e, step, key, 'wecom_template', now);
  }
  const owner = await ownerOf(deps, e.customerId);
  const message = outreachMessage(route, { text: step.text }, key, e.customerId);
  await queue([owner ? { ...message, reportTo: owner.id } : message]);
  return { kind: 'sent' };
}

/**
 * A reminder to the customer's owner, delivered by the reminders' own schedule (`request_key` is the step's key, so
 * it is written once). `because`: why a message step became a reminder (the owner is asked to send the text).
 */
async function remindOwner(
  deps: CoreDeps,
  sop: Sop,
  e: DueEnrollment,
  step: SopStep,
  key: string,
  because: OutreachSkip | 'wecom_template' | null,
  now: number,
): Promise<StepOutcome> {
  const owner = await ownerOf(deps, e.customerId);
  if (!owner) return { kind: 'skipped', reason: 'no_owner' };
  const t = messages(languageOf(owner.language)).sop;
  const reason = (because && lookup(t.why, because)) ?? '';
  const text =
    step.action === 'message'
      ? t.send(sop.name, e.nextStep + 1, step.text, reason)
      : t.task(sop.name, e.nextStep + 1, step.text);
  await deps.db
    .insertInto('reminders')
    .values({
      customer_id: e.customerId,
      staff_id: owner.id,
      due_at: now,
      text: text.slice(0, 1000),
      status: 'pending',
      created_at: now,
      delivered_at: null,
      request_key: key,
      // No chat asked for it: delivered wherever the owner can be reached.
      platform: null,
    })
    .onConflict((oc) => oc.column('request_key').doNothing())
    .execute();
  return because ? { kind: 'reminded', because } : { kind: 'reminded' };
}

async function ownerOf(
  deps: CoreDeps,
  customerId: number,
): Promise<{ id: number; language: string | null } | null> {
  const row = await deps.db
    .selectFrom('customers')
    .innerJoin('staff', 'staff.id', 'customers.owner_staff_id')
    .select(['staff.id', 'staff.language'])
    .where('customers.id', '=', customerId)
    .executeTakeFirst();
  return row ? { id: Number(row.id), language: row.language } : null;
}
