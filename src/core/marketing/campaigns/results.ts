import type { CoreDeps } from '../../kernel/runtime.ts';
import { cancelPending } from './campaigns.ts';

/** Recipients followed per step. */
const FOLLOW_LIMIT = 500;
/** Sends of a cancelled campaign already queued are followed this long (the outbox gives up well before). */
const FOLLOW_CANCELLED_MS = 7 * 86_400_000;
/** A WeCom task is checked for this long after creation; then it counts as expired. */
export const TASK_CHECK_MS = 3 * 86_400_000;
/** How long after a task expired its pending result checks are still cut. */
const CUT_CHECKS_MS = 60 * 60_000;
/** Task states still waiting for the platform. */
export const OPEN_TASK_STATES = ['new', 'pending', 'created', 'confirmed'];

const short = (s: string | null, fallback: string): string => (s ? s.slice(0, 200) : fallback);

/**
 * Follows what the outbox did with campaign sends: a chat message the platform accepted makes its recipient delivered
 * (with the outbox's send time), one refused for good makes it failed with the reason; a `create_mass_send` refused
 * for good fails its task and recipients. How many rows moved.
 */
export async function followOutbox(deps: CoreDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  let moved = 0;
  const settled = await db
    .selectFrom('campaign_recipients as r')
    .innerJoin('outbox as o', 'o.idempotency_key', 'r.outbox_key')
    .select(['r.id', 'o.status', 'o.sent_at', 'o.last_error'])
    .where('r.campaign_id', 'in', (eb) =>
      eb
        .selectFrom('campaigns')
        .select('id')
        .where('status', 'in', ['running', 'paused', 'cancelled'])
        .where((w) => w.or([w('finished_at', 'is', null), w('finished_at', '>', now - FOLLOW_CANCELLED_MS)])),
    )
    .where('r.status', '=', 'queued')
    .where('r.route', '=', 'chat')
    // `settling`: the platform accepted it and its answer is being handled — delivered as far as the customer goes.
    .where('o.status', 'in', ['sent', 'settling', 'failed'])
    .limit(FOLLOW_LIMIT)
    .execute();
  for (const s of settled) {
    const at = s.sent_at ?? now;
    await db
      .updateTable('campaign_recipients')
      .set(
        s.status !== 'failed'
          ? { status: 'delivered', sent_at: at, delivered_at: at, updated_at: now }
          : { status: 'failed', reason: short(s.last_error, 'refused'), updated_at: now },
      )
      .where('id', '=', s.id)
      .where('status', '=', 'queued')
      .execute();
    moved++;
  }
  const failedTasks = await db
    .selectFrom('campaign_mass_sends as m')
    .innerJoin('outbox as o', 'o.idempotency_key', 'm.idempotency_key')
    .select(['m.id', 'o.last_error'])
    .where('m.status', '=', 'pending')
    .where('o.status', '=', 'failed')
    .execute();
  for (const t of failedTasks) {
    await db
      .updateTable('campaign_mass_sends')
      .set({ status: 'failed', updated_at: now })
      .where('id', '=', t.id)
      .where('status', '=', 'pending')
      .execute();
    await db
      .updateTable('campaign_recipients')
      .set({ status: 'failed', reason: short(t.last_error, 'mass_send_failed'), updated_at: now })
      .where('mass_send_id', '=', t.id)
      .where('status', '=', 'queued')
      .execute();
    moved++;
  }
  return moved;
}

/**
 * Stops following WeCom tasks 3 days after creation (status expired): recipients still waiting failed, as
 * `not_confirmed` (the member never sent the task) or `unsent`; the task's pending result checks are dropped.
 */
export async function expireTasks(deps: CoreDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  const old = await db
    .selectFrom('campaign_mass_sends')
    .select(['id', 'idempotency_key', 'confirmed_at'])
    .where('status', 'in', ['pending', 'created', 'confirmed'])
    .where('created_at', '<', now - TASK_CHECK_MS)
    .execute();
  for (const t of old) {
    await db
      .updateTable('campaign_mass_sends')
      .set({ status: 'expired', updated_at: now })
      .where('id', '=', t.id)
      .where('status', 'in', ['pending', 'created', 'confirmed'])
      .execute();
    await db
      .updateTable('campaign_recipients')
      .set({
        status: 'failed',
        reason: t.confirmed_at === null ? 'not_confirmed' : 'unsent',
        updated_at: now,
      })
      .where('mass_send_id', '=', t.id)
      .where('status', '=', 'queued')
      .execute();
  }
  // The adapter re-checks every 30 minutes until the task is complete: end that chain. Repeated for a while after the
  // expiry, because a check in flight at that moment still queues its follow-up.
  const recent = await db
    .selectFrom('campaign_mass_sends')
    .select('idempotency_key')
    .where('status', '=', 'expired')
    .where('updated_at', '>', now - CUT_CHECKS_MS)
    .execute();
  let cut = 0;
  for (const t of recent) {
    const r = await db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: 'mass send task expired' })
      .where('kind', '=', 'action')
      .where('status', '=', 'pending')
      .where('idempotency_key', 'like', `${t.idempotency_key}:%`)
      .executeTakeFirst();
    cut += Number(r.numUpdatedRows);
  }
  return old.length + cut;
}

/** Recipients still pending in cancelled campaigns (a batch was being decided while the campaign was cancelled). */
export async function sweepCancelled(deps: CoreDeps): Promise<number> {
  const leftovers = await deps.db
    .selectFrom('campaign_recipients as r')
    .innerJoin('campaigns as c', 'c.id', 'r.campaign_id')
    .select('r.campaign_id')
    .distinct()
    .where('c.status', '=', 'cancelled')
    .where('r.status', '=', 'pending')
    .execute();
  let moved = 0;
  for (const l of leftovers) moved += await cancelPending(deps, l.campaign_id);
  return moved;
}

/** Whether a started campaign has nothing left to do: nobody pending or queued in a chat, no open WeCom task. */
export async function campaignFinished(deps: CoreDeps, campaignId: number): Promise<boolean> {
  const { db } = deps;
  const waiting = await db
    .selectFrom('campaign_recipients')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where((eb) =>
      eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'queued'), eb('route', '=', 'chat')])]),
    )
    .limit(1)
    .executeTakeFirst();
  if (waiting) return false;
  const task = await db
    .selectFrom('campaign_mass_sends')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('status', 'in', OPEN_TASK_STATES)
    .limit(1)
    .executeTakeFirst();
  return task === undefined;
}
