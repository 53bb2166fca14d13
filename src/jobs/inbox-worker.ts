import type { InboxRow } from '../../db/schema.ts';
import { flushRelays } from '../core/conversations/relay.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { MalformedPayloadError } from '../core/ports/adapter.ts';
import { claimDeliveries, giveBack, markAttemptFailed, markProcessed } from '../queue/inbox.ts';
import { backoffMs, leaseHolds, release } from '../queue/lease.ts';
import { enqueue } from '../queue/outbox.ts';
import { applyDelivery } from './apply-delivery.ts';
import { processInTransactions, transactionsWork } from './inbox-transactions.ts';
import { lanesOf, orderKeyOf, packLanes, runLanes } from './order-key.ts';
import { errorText, type QueueSettings } from './settings.ts';

/** How long customer messages a running batch has recorded wait at most before their relays are queued. */
const RELAY_EVERY_MS = 1_000;

export interface InboxWorkerDeps {
  core: CoreDeps;
  /** This instance's lease-holder name. */
  owner: string;
  settings: QueueSettings;
  /** Called when processing queued sends, to wake the outbox sender. */
  onSendsQueued: () => void;
  /** Waits between events so waiting requests run (and, on Node, so acknowledgements come first under load). */
  pace: () => Promise<void>;
  /** True while webhook requests wait to store their deliveries; a transaction of deliveries then ends early. */
  acksWaiting?: () => boolean;
  /**
   * False once this run may begin no more deliveries (Workers: D1's queries per invocation): those of the claim not
   * begun go back to the queue at once, their attempt not counted. Unset: every claimed delivery is begun.
   */
  mayBegin?: () => boolean;
}

/**
 * Claims a batch of due deliveries and processes them, each chat in arrival order; returns how many it claimed and began.
 * Where the database has transactions (SQLite, PostgreSQL), a lane's deliveries run a few milliseconds' worth (less
 * while acknowledgements wait) to a transaction that also marks them done: a crash loses or repeats nothing, and one
 * failure sends that transaction's deliveries back through the one-by-one path (D1's only path), where processing is
 * idempotent and successes are marked done together (well within the lease): a crash before that only repeats work.
 */
export async function processInboxBatch(deps: InboxWorkerDeps): Promise<number> {
  const { core, owner, settings } = deps;
  const claimedAt = core.clock.now();
  const rows = await claimDeliveries(core.db, {
    owner,
    now: claimedAt,
    leaseMs: settings.leaseMs,
    limit: settings.inboxBatchSize,
  });
  let done: number[] = [];
  const notBegun: number[] = [];
  // Customer messages of the batch reach staff now (several per relay when they piled up). Also while the batch runs:
  // paced under load, or waiting on platform lookups, a batch of hundreds can take seconds.
  let relaysAt = claimedAt;
  const relay = async () => {
    relaysAt = core.clock.now();
    const relays = await flushRelays(core);
    await enqueue(core.db, relays, core.clock.now());
    if (relays.length > 0) deps.onSendsQueued();
  };
  const relayIfDue = async () => {
    if (core.clock.now() - relaysAt >= RELAY_EVERY_MS) await relay();
  };
  const take = async (row: InboxRow) => {
    if (deps.mayBegin?.() === false) {
      notBegun.push(row.id);
      return;
    }
    if (!(await stillOurs(deps, row))) return;
    if (await processDelivery(deps, row)) done.push(row.id);
    if (core.clock.now() - claimedAt > settings.leaseMs / 3) {
      const finished = done;
      done = [];
      await markProcessed(core.db, finished, owner, core.clock.now());
    }
    await relayIfDue();
    await deps.pace(); // acknowledgements must not wait behind a whole batch
  };
  // One chat (connection, contact…) stays in arrival order; different ones may run side by side.
  const lanes =
    settings.inboxLanes > 1
      ? packLanes(
          lanesOf(rows, (row) => orderKeyOf(core, row)),
          settings.inboxLanes,
        )
      : [rows];
  const transactional = rows.length > 0 && (await transactionsWork(core.db));
  await runLanes(lanes, settings.inboxLanes, async (lane) => {
    if (transactional) await processInTransactions(deps, lane, take, relayIfDue);
    else for (const row of lane) await take(row);
  });
  // Queued before the batch counts as done.
  if (rows.length > 0) await relay();
  await markProcessed(core.db, done, owner, core.clock.now());
  await giveBack(core.db, notBegun, owner, core.clock.now());
  return rows.length - notBegun.length;
}

/** True while this claim still holds `row`; otherwise gives it back (with the attempt the claim counted) and false. */
async function stillOurs(deps: InboxWorkerDeps, row: InboxRow): Promise<boolean> {
  const { core, owner } = deps;
  if (leaseHolds(row, core.clock.now())) return true;
  // Another instance may hold it now: leave it to them.
  await release(core.db, 'inbox', row.id, owner, {
    status: 'pending',
    availableAt: core.clock.now(),
    refundAttempt: true,
  });
  return false;
}

/** True when a delivery claimed again after its lease ran out on every attempt must be given up, not processed. */
export const exhausted = (deps: InboxWorkerDeps, row: InboxRow): boolean =>
  row.attempts > deps.settings.inboxMaxAttempts;

/** Processes one delivery; true when it succeeded, false when its failure has been recorded. */
async function processDelivery(deps: InboxWorkerDeps, row: InboxRow): Promise<boolean> {
  const { core, owner } = deps;
  if (exhausted(deps, row)) {
    // It keeps killing its worker, so stop.
    await markAttemptFailed(
      core.db,
      row.id,
      owner,
      row.last_error ?? 'abandoned mid-processing on every attempt',
      null,
    );
    core.logger.error(
      { inbox: row.id, platform: row.platform, attempts: row.attempts - 1 },
      'delivery given up',
    );
    return false;
  }
  try {
    const sends = await applyDelivery(core, row);
    if (sends.length > 0) deps.onSendsQueued();
    return true;
  } catch (error) {
    return failed(deps, row, error);
  }
}

/**
 * Records a failed attempt: retried after a backoff, or given up after the last attempt. A MalformedPayloadError —
 * the delivery, or an answer the platform gave while it was handled, in a shape that will not change — is given up
 * at once with the field at fault (never its value), at error level: someone must look at it.
 */
async function failed(deps: InboxWorkerDeps, row: InboxRow, error: unknown): Promise<false> {
  const { core, owner, settings } = deps;
  if (error instanceof MalformedPayloadError) {
    await markAttemptFailed(core.db, row.id, owner, errorText(error), null);
    core.logger.error(
      { inbox: row.id, platform: row.platform, attempt: row.attempts, error: errorText(error) },
      'delivery refused',
    );
    return false;
  }
  const lastAttempt = row.attempts >= settings.inboxMaxAttempts;
  const retryAt = lastAttempt
    ? null
    : core.clock.now() + backoffMs(row.attempts, settings.retryBaseMs, settings.retryMaxMs);
  await markAttemptFailed(core.db, row.id, owner, errorText(error), retryAt);
  core.logger.warn(
    {
      inbox: row.id,
      platform: row.platform,
      attempt: row.attempts,
      error: errorText(error),
      gaveUp: lastAttempt,
    },
    'processing a delivery failed',
  );
  return false;
}
