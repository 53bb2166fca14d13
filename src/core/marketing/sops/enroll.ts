import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { CustomerCondition } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type Sop, stepOffsetMs } from './steps.ts';

/** Trigger rows read per SOP and pass; the rest come on the next pass. */
const SCAN_BATCH = 200;
/** Enrollments written per statement (9 values each, within D1’s 100 bound parameters). */
const INSERT_CHUNK = 10;
/** Trigger rows written a little late (another instance, a platform's own timestamp) are still read. */
const LOOKBACK_MS = 2 * 60_000;

interface Match {
  customerId: number;
  at: number;
  stage: string;
}

/**
 * Enrolls the customers whose trigger happened since the SOP's scan mark (and after it was created): a tag given,
 * a stage reached, a source recorded. Idempotent on every instance: an enrollment is unique per (SOP, customer)
 * and the mark only moves forward, to the newest trigger row read; the last two minutes before the mark are read
 * again, so a row committed late is not lost, and customers already enrolled are left out by the query itself.
 * How many it enrolled.
 */
export async function enrollNewMatches(
  deps: CoreDeps,
  sop: Sop,
  now: number,
  scope: CustomerCondition | null,
): Promise<number> {
  const since = Math.max(sop.scannedUntil - LOOKBACK_MS, sop.createdAt);
  const scanned = await triggerRows(deps, sop, since, scope);
  if (scanned.length === 0) return 0;
  const matches = new Map<number, Match>();
  for (const m of scanned.filter((r) => r.matches))
    if (!matches.has(m.customerId)) matches.set(m.customerId, m);
  const first = sop.steps[0];
  const rows = [...matches.values()].map((m) => ({
    sop_id: sop.id,
    customer_id: m.customerId,
    status: first ? 'active' : 'done',
    stop_reason: null,
    // Steps count from the trigger (a tag given, a stage reached), however soon after it the scan ran.
    started_at: m.at,
    stage_at_start: m.stage,
    next_step: 0,
    next_due_at: first ? m.at + stepOffsetMs(first) : null,
    updated_at: now,
  }));
  let enrolled = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const r = await deps.db
      .insertInto('sop_enrollments')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.columns(['sop_id', 'customer_id']).doNothing())
      .executeTakeFirst();
    enrolled += Number(r.numInsertedOrUpdatedRows ?? 0n);
  }
  const mark = Math.max(...scanned.map((r) => r.at));
  if (mark > sop.scannedUntil) {
    await deps.db
      .updateTable('sops')
      .set({ scanned_until: mark })
      .where('id', '=', sop.id)
      .where('scanned_until', '<', mark)
      .execute();
  }
  return enrolled;
}

/** Not yet enrolled in this SOP (a condition on `customers`). */
const notEnrolled = (sopId: number) => (eb: ExpressionBuilder<Database, 'customers'>) =>
  eb.not(
    eb.exists(
      eb
        .selectFrom('sop_enrollments as e')
        .select('e.id')
        .where('e.sop_id', '=', sopId)
        .whereRef('e.customer_id', '=', 'customers.id'),
    ),
  );

/** The trigger rows since `since`, oldest first, each saying whether it matches the trigger. */
async function triggerRows(
  deps: CoreDeps,
  sop: Sop,
  since: number,
  scope: CustomerCondition | null,
): Promise<Array<Match & { matches: boolean }>> {
  // Outside the creator's scope a customer is never enrolled (the scan mark still moves past them).
  const inScope = scope ?? ((eb: ExpressionBuilder<Database, 'customers'>) => eb.lit(true));
  const { db } = deps;
  const { kind, value } = sop.trigger;
  if (kind === 'tag') {
    const tag = await db.selectFrom('tags').select('id').where('name', '=', value).executeTakeFirst();
    if (!tag) return [];
    const rows = await db
      .selectFrom('customer_tags as ct')
      .innerJoin('customers', 'customers.id', 'ct.customer_id')
      .select(['customers.id as customerId', 'ct.created_at as at', 'customers.stage'])
      .where('ct.tag_id', '=', tag.id)
      .where('ct.created_at', '>=', since)
      .where('customers.merged_into_id', 'is', null)
      .where(notEnrolled(sop.id))
      .where(inScope)
      .orderBy('ct.created_at')
      .limit(SCAN_BATCH)
      .execute();
    return rows.map((r) => ({ ...asMatch(r), matches: true }));
  }
  if (kind === 'source') {
    const rows = await db
      .selectFrom('customer_sources as s')
      .innerJoin('customers', 'customers.id', 's.customer_id')
      // When the source was recorded (a late-processed arrival carries its earlier platform time in `at`).
      .select(['customers.id as customerId', 's.created_at as at', 'customers.stage'])
      .where('s.code', '=', value)
      .where('s.created_at', '>=', since)
      .where('customers.merged_into_id', 'is', null)
      .where(notEnrolled(sop.id))
      .where(inScope)
      .orderBy('s.created_at')
      .limit(SCAN_BATCH)
      .execute();
    return rows.map((r) => ({ ...asMatch(r), matches: true }));
  }
  // A stage: moves to it (set by a person or suggested), while the customer is still there.
  const rows = await db
    .selectFrom('customer_events as ev')
    .innerJoin('customers', 'customers.id', 'ev.customer_id')
    .select(['customers.id as customerId', 'ev.at', 'ev.detail', 'customers.stage'])
    .where('ev.kind', 'in', ['stage_changed', 'stage_suggested'])
    .where('ev.at', '>=', since)
    // Narrowed in SQL so that rows read again (the look-back) are few; checked exactly below.
    .where('customers.stage', '=', value)
    .where('ev.detail', 'like', `%${JSON.stringify({ to: value }).slice(1, -1)}%`)
    .where('customers.merged_into_id', 'is', null)
    .where(notEnrolled(sop.id))
    .where(inScope)
    .orderBy('ev.at')
    .limit(SCAN_BATCH)
    .execute();
  return rows.map((r) => ({ ...asMatch(r), matches: stageTo(r.detail) === value && r.stage === value }));
}

const asMatch = (r: { customerId: number; at: number; stage: string }): Match => ({
  customerId: Number(r.customerId),
  at: Number(r.at),
  stage: r.stage,
});

function stageTo(detail: string | null): string | undefined {
  try {
    return (JSON.parse(detail ?? '{}') as { to?: string }).to;
  } catch {
    return undefined;
  }
}
