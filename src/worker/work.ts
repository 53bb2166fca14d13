import type { Config } from '../config.ts';
import type { Logger } from '../core/ports/clock.ts';
import { processInboxBatch } from '../jobs/inbox-worker.ts';
import { fileKeeper } from '../jobs/keep-files.ts';
import { sendOutboxBatch } from '../jobs/outbox-sender.ts';
import { defaultQueueSettings, type QueueSettings } from '../jobs/settings.ts';
import { timedWork } from '../jobs/timed-work.ts';
import type { Liaison } from '../wiring/liaison.ts';
import type { BatchingD1 } from './d1-batching.ts';

/**
 * Leases outlive the 30 s a Worker may keep working after its answer, so a row is never claimed twice while its
 * first claimer can still be running; a claimer that was cut off leaves rows the next cron sweep takes over.
 */
export const WORKER_SETTINGS: Partial<QueueSettings> = {
  leaseMs: 60_000,
  sendTimeoutMs: 10_000,
  // D1 binds at most 100 parameters a statement: the inbox claim's id list stays well within it.
  inboxBatchSize: 50,
  // Lanes wait on D1 side by side, and their statements share round trips (d1-batching.ts).
  inboxLanes: 4,
};

/** Statements a send takes at most (claim share, checks, its record, its mark): a send claim's size under the limit. */
const STATEMENTS_PER_SEND = 8;

/**
 * Statements kept back from the query limit for what is begun before the count is looked at again: one delivery
 * with its batch's relays, done marks and give-backs, or one task of timed work (50 overdue replies take ~250).
 */
const D1_QUERY_RESERVE = 300;

/** How long one drain keeps claiming work: inside `waitUntil`'s 30 s after the answer, with room to finish a batch. */
const DRAIN_BUDGET_MS = 20_000;
/** Processing waits at most this long for adapters to learn about their platform (e.g. the bot's @username). */
const ADAPTER_START_WAIT_MS = 5_000;

export interface WorkerRuntime {
  /**
   * Processes stored deliveries and carries out due sends until none are left or the time or the invocation's D1
   * queries (`D1_QUERY_LIMIT`) are spent.
   */
  drain(): Promise<void>;
  /** The cron step: timed work (reminders, reply SLAs, LLM bursts, digests, insights), then a drain, on one budget. */
  sweep(): Promise<void>;
}

/**
 * The background half of Liaison without timers or loops: the same batch steps the Node loops run, called from
 * `waitUntil` after a webhook's answer and from the cron trigger. One drain runs at a time per isolate; a request
 * arriving during a drain asks for another pass (within the running drain's budget) instead of starting a second one.
 */
export function workerRuntime(
  liaison: Liaison,
  config: Config,
  logger: Logger,
  d1: Pick<BatchingD1, 'statements'>,
): WorkerRuntime {
  const { core } = liaison;
  // One invocation's share of D1's query limit, counted from its start; all statements count (overlapping
  // invocations' too), so an invocation never goes over, at worst stops early.
  const invocationBudget = () => {
    const start = d1.statements;
    const usable = config.d1QueryLimit - D1_QUERY_RESERVE;
    return () => usable - (d1.statements - start);
  };
  const settings = { ...defaultQueueSettings, ...WORKER_SETTINGS };
  const owner = `worker-${crypto.randomUUID().slice(0, 8)}`;
  const timed = timedWork(core, () => {}, settings);
  const keepFiles = fileKeeper(core, settings);
  let started: Promise<void> | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  const startAdapters = (): Promise<void> => {
    started ??= Promise.all(
      [...core.adapters.values()].map(async (adapter) => {
        await adapter.start?.();
        if (config.publicUrl && adapter.registerWebhook) {
          await adapter.registerWebhook(`${config.publicUrl}/webhooks/${adapter.platform}`);
        }
      }),
    ).then(
      () => {},
      (error: unknown) => {
        started = null; // try again on the next drain
        logger.warn(
          { error: error instanceof Error ? error.message : String(error) },
          'adapter start failed',
        );
      },
    );
    return Promise.race([started, new Promise<void>((r) => setTimeout(r, ADAPTER_START_WAIT_MS))]);
  };

  const onePass = async (deadline: number, left: () => number): Promise<void> => {
    await startAdapters();
    while (Date.now() < deadline && left() > 0) {
      const received = await processInboxBatch({
        core,
        owner,
        settings,
        onSendsQueued: () => {},
        pace: async () => {},
        mayBegin: () => left() > 0,
      });
      const sends = Math.min(settings.batchSize, Math.floor(left() / STATEMENTS_PER_SEND));
      const sent =
        sends > 0 ? await sendOutboxBatch({ core, owner, settings: { ...settings, batchSize: sends } }) : 0;
      if (left() <= 0) return;
      // Attachments of the messages just stored, fetched after the acknowledgement like everything here.
      const kept = await keepFiles();
      if (received + sent + kept === 0) return;
    }
  };

  const drain = (left = invocationBudget()): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    const deadline = Date.now() + DRAIN_BUDGET_MS;
    running = (async () => {
      try {
        do {
          again = false;
          await onePass(deadline, left);
        } while (again && Date.now() < deadline && left() > 0);
      } catch (error) {
        logger.error({ error: error instanceof Error ? error.message : String(error) }, 'drain failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  return {
    drain: () => drain(),
    async sweep() {
      const deadline = Date.now() + DRAIN_BUDGET_MS;
      const left = invocationBudget();
      try {
        const mayBegin = () => left() > 0;
        while (mayBegin() && (await timed(mayBegin)) > 0 && Date.now() < deadline) {}
      } catch (error) {
        logger.error({ error: error instanceof Error ? error.message : String(error) }, 'timed work failed');
      }
      await drain(left);
    },
  };
}
