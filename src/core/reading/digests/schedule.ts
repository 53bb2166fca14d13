import type { DigestSubscriptionTable } from '../../../../db/schema.ts';
import { languageOf } from '../../kernel/i18n/index.ts';
import { ownerNow } from '../../kernel/permissions/ownership.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { minutesOf } from '../../kernel/time/minutes.ts';
import { fromZoned, zonedParts } from '../../kernel/time/zone.ts';
import type { OutboundMessage } from '../../ports/outbound.ts';
import { buildDigest } from './build.ts';
import { digestScopeOf } from './scope.ts';
import { stopSubscription } from './stop.ts';
import { digestTarget } from './targets.ts';

/** A builder that died holds its run this long; then another instance takes it over. */
const RUN_LEASE_MS = 5 * 60_000;

type Subscription = Omit<DigestSubscriptionTable, 'id'> & { id: number };

/**
 * The digests due now, built and addressed: each subscription once per local day (weekly: once per week, from Monday
 * at its time), however many instances run this and however late they start. A run row, unique per subscription and
 * period, is claimed before building; a claim whose builder died is taken over after a lease, and the sends' keys
 * (`digest:<subscription>:<period>`) keep a rebuilt digest from going out twice. The caller queues the sends, then
 * calls `markDigestsQueued`.
 */
export async function dueDigests(deps: CoreDeps): Promise<{ sends: OutboundMessage[]; runIds: number[] }> {
  const { db, clock } = deps;
  const now = clock.now();
  const subscriptions = (await db
    .selectFrom('digest_subscriptions')
    .selectAll()
    .where('enabled', '=', 1)
    .execute()) as Subscription[];
  const sends: OutboundMessage[] = [];
  const runIds: number[] = [];
  for (const sub of subscriptions) {
    const period = duePeriod(deps, sub, now);
    if (!period) continue;
    // The subscriber's role and team as they are now decide the scope; one who left or lost the role stops it.
    const subscriber = await ownerNow(db, sub.subscriber_staff_id);
    if (subscriber === 'gone') {
      sends.push(...(await stopSubscription(deps, sub, now)));
      continue;
    }
    const runId = await claimRun(deps, sub.id, period, now);
    if (runId === null) continue;
    const content = await buildDigest(
      deps,
      // Directors and admins (and the unbound API token) chose the team; a manager's reach is their team now.
      subscriber?.role === 'manager' ? digestScopeOf(subscriber) : { teamId: sub.scope_team_id },
      languageOf(sub.language),
      sub.kind === 'weekly' ? 'weekly' : 'daily',
    );
    const send = digestTarget(deps, sub, content, `digest:${sub.id}:${period}`);
    if (send) sends.push(send);
    runIds.push(runId);
  }
  return { sends, runIds };
}

/** Marks runs whose digests are in the outbox (which delivers them, with retries, once per key). */
export async function markDigestsQueued(deps: CoreDeps, runIds: number[]): Promise<void> {
  if (runIds.length === 0) return;
  await deps.db
    .updateTable('digest_runs')
    .set({ status: 'queued', sent_at: deps.clock.now() })
    .where('id', 'in', runIds)
    .execute();
}

/** The period a subscription owes now (`daily:2026-03-02`, `weekly:2026-03-02` for the week's Monday), or null. */
export function duePeriod(
  deps: CoreDeps,
  sub: Pick<Subscription, 'kind' | 'send_at' | 'time_zone' | 'created_at'>,
  now: number,
): string | null {
  const zone = sub.time_zone ?? deps.org.digestTimeZone;
  const at = sub.send_at ? minutesOf(sub.send_at) : deps.org.digestAtMinute;
  const local = zonedParts(now, zone);
  const day = (p: { year: number; month: number; day: number }) =>
    `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  const back = sub.kind === 'weekly' ? (local.weekday + 6) % 7 : 0; // weekly periods start on Monday
  const noon = fromZoned(
    { year: local.year, month: local.month, day: local.day - back, hour: 12, minute: 0 },
    zone,
  );
  const first = zonedParts(noon, zone);
  const scheduled = fromZoned(
    { year: first.year, month: first.month, day: first.day, hour: Math.floor(at / 60), minute: at % 60 },
    zone,
  );
  // Not before its time, and not for a period whose time had passed when the chat subscribed.
  if (now < scheduled || sub.created_at > scheduled) return null;
  return `${sub.kind === 'weekly' ? 'weekly' : 'daily'}:${day(first)}`;
}

/** Takes the run of a period: a new row, or one whose builder's lease has passed. null: someone else has it. */
async function claimRun(
  deps: CoreDeps,
  subscriptionId: number,
  period: string,
  now: number,
): Promise<number | null> {
  const { db } = deps;
  const inserted = await db
    .insertInto('digest_runs')
    .values({
      subscription_id: subscriptionId,
      period_key: period,
      status: 'building',
      created_at: now,
      claimed_at: now,
      sent_at: null,
      error: null,
    })
    .onConflict((oc) => oc.columns(['subscription_id', 'period_key']).doNothing())
    .executeTakeFirst();
  const run = await db
    .selectFrom('digest_runs')
    .select(['id', 'status', 'claimed_at'])
    .where('subscription_id', '=', subscriptionId)
    .where('period_key', '=', period)
    .executeTakeFirstOrThrow();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return run.id;
  if (run.status !== 'building' || (run.claimed_at ?? 0) > now - RUN_LEASE_MS) return null;
  const taken = await db
    .updateTable('digest_runs')
    .set({ claimed_at: now })
    .where('id', '=', run.id)
    .where('status', '=', 'building')
    .where('claimed_at', '=', run.claimed_at)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) > 0 ? run.id : null;
}
