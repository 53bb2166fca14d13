import { flushRelays } from '../core/conversations/relay.ts';
import { nightlyReconciliation } from '../core/inbound/sync/nightly.ts';
import { runSyncStep } from '../core/inbound/sync/run.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { dispatchCampaigns } from '../core/marketing/campaigns/dispatch.ts';
import { runSops } from '../core/marketing/sops/run.ts';
import type { OutboxItem } from '../core/ports/outbound.ts';
import { dueDigests, markDigestsQueued } from '../core/reading/digests/schedule.ts';
import { hotLeadPings, markHotLeadsPinged } from '../core/reading/intelligence/hot-leads.ts';
import { refreshInsights } from '../core/reading/intelligence/insights.ts';
import { tagDueBursts } from '../core/reading/intelligence/llm-tagging.ts';
import { markReplyChecked, overdueReplies } from '../core/reading/intelligence/reply-sla.ts';
import { markSuggestionsNotified, suggestionNotices } from '../core/records/customers/duplicate-notices.ts';
import { checkStatedIdentities } from '../core/records/customers/duplicates-from-message.ts';
import { inboxRetentionSweep } from '../core/records/privacy/retention.ts';
import { dueReminders, markDelivered } from '../core/records/reminders/deliver.ts';
import { nextTurn } from '../lib/next-turn.ts';
import { enqueue } from '../queue/outbox.ts';
import { defaultQueueSettings, type QueueSettings } from './settings.ts';

const INSIGHTS_EVERY_MS = 60 * 60_000;
/** How often relays a dead process assigned but never queued are looked for (they are rare, the scan is not free). */
const RELAY_RECOVERY_EVERY_MS = 30_000;
/** How long one step may advance directory syncs, page by page, before the rest of the timed work gets its turn. */
const SYNC_BUDGET_MS = 1_000;

/**
 * Work that comes due with time rather than with a delivery: reminders, duplicates behind phones customers stated,
 * reply-time alerts, the model's reading of quiet bursts, scheduled digests, campaign batches and SOP steps, and
 * (hourly) churn risks and value tiers. Each step queues its sends before marking its rows done, so a crash repeats
 * a step (the sends' keys keep them single) and loses nothing. Returns how much it did.
 */
export function timedWork(
  core: CoreDeps,
  onSendsQueued: () => void,
  settings: Pick<QueueSettings, 'leaseMs' | 'retryBaseMs' | 'retryMaxMs'> = defaultQueueSettings,
) {
  let insightsAt = Number.NEGATIVE_INFINITY;
  let relaysRecoveredAt = Number.NEGATIVE_INFINITY;
  const sweepPayloads = inboxRetentionSweep(core);
  const leaseOwner = `timed:${crypto.randomUUID()}`; // campaign leases: one instance dispatches a campaign at a time
  const queue = async (sends: OutboxItem[]) => {
    if (sends.length === 0) return;
    await enqueue(core.db, sends, core.clock.now());
    onSendsQueued();
  };
  /** A task that queues the sends for the rows it found, then marks those rows: a crash between repeats the sends. */
  const sendThenMark =
    <F extends { sends: OutboxItem[] }>(
      find: () => Promise<F>,
      idsOf: (found: F) => number[],
      mark: (ids: number[]) => Promise<void>,
    ) =>
    async () => {
      const found = await find();
      await queue(found.sends);
      const ids = idsOf(found);
      await mark(ids);
      return ids.length;
    };
  // Each task returns how much it did; waiting requests run between two tasks (see `WorkLoop`).
  const tasks: Array<() => Promise<number>> = [
    async () => {
      // Relays the inbox worker left behind (a process died between assigning and queueing them).
      const recover = core.clock.now() - relaysRecoveredAt >= RELAY_RECOVERY_EVERY_MS;
      if (recover) relaysRecoveredAt = core.clock.now();
      const relays = await flushRelays(core, { recover });
      await queue(relays);
      return relays.length;
    },
    sendThenMark(
      () => dueReminders(core),
      (r) => r.reminderIds,
      (ids) => markDelivered(core, ids),
    ),
    // Phones customers' messages stated, looked up among the other customers; then owners told once of a duplicate.
    () => checkStatedIdentities(core),
    sendThenMark(
      () => suggestionNotices(core),
      (d) => d.suggestionIds,
      (ids) => markSuggestionsNotified(core, ids),
    ),
    sendThenMark(
      () => overdueReplies(core),
      (r) => r.checked,
      (ids) => markReplyChecked(core, ids),
    ),
    // New hot leads, one batched ping per owner per HOT_LEAD_PING_HOURS.
    sendThenMark(
      () => hotLeadPings(core),
      (h) => h.alertIds,
      (ids) => markHotLeadsPinged(core, ids),
    ),
    async () => {
      const bursts = await tagDueBursts(core);
      await queue(bursts.sends);
      return bursts.taken;
    },
    () => sendDueDigests(core, queue),
    () => dispatchCampaigns(core, leaseOwner, queue),
    () => runSops(core, queue),
    async () => {
      if (core.clock.now() - insightsAt < INSIGHTS_EVERY_MS) return 0;
      insightsAt = core.clock.now();
      await refreshInsights(core);
      return 0;
    },
    sweepPayloads, // raw payloads past INBOX_PAYLOAD_RETENTION_DAYS, in bounded batches
    async () => {
      const nightly = await nightlyReconciliation(core); // a full directory sync and lost tag mirrors, once a night
      await queue(nightly.sends);
      return nightly.started;
    },
    () => advanceSyncs(core, { owner: leaseOwner, ...settings }),
  ];
  let first = 0; // where a step cut short (Workers' query limit) left off: the next step starts there
  /** Runs each task once; `mayBegin` false ends the step before the next task (the next step goes on from it). */
  return async function step(mayBegin?: () => boolean): Promise<number> {
    let done = 0;
    for (let k = 0; k < tasks.length; k++) {
      const i = (first + k) % tasks.length;
      if (mayBegin?.() === false) {
        first = i;
        return done;
      }
      if (k > 0) await nextTurn();
      done += await (tasks[i] as () => Promise<number>)();
    }
    first = 0;
    return done;
  };
}

/** Builds the digests due now and queues them (the scheduler's step, and `POST /api/digests/run`); how many. */
export async function sendDueDigests(
  core: CoreDeps,
  queue: (sends: OutboxItem[]) => Promise<void>,
): Promise<number> {
  const { sends, runIds } = await dueDigests(core);
  await queue(sends);
  await markDigestsQueued(core, runIds);
  return runIds.length;
}

/** Advances directory syncs (`liaison sync`, the API, the nightly run) page by page for up to SYNC_BUDGET_MS. */
async function advanceSyncs(core: CoreDeps, o: Parameters<typeof runSyncStep>[1]): Promise<number> {
  const until = Date.now() + SYNC_BUDGET_MS;
  let steps = 0;
  while (Date.now() < until && (await runSyncStep(core, o)) > 0) steps++;
  return steps;
}
