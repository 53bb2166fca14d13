import type { OutboxRow } from '../../db/schema.ts';
import { recordMessage } from '../core/conversations/messages.ts';
import { handleEvent } from '../core/inbound/handle-event.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import type { PlatformAdapter } from '../core/ports/adapter.ts';
import { isAction, type OutboundMessage, type OutboxItem, type SendResult } from '../core/ports/outbound.ts';
import { reportUndelivered } from '../core/records/staff/notify.ts';
import { backoffMs, leaseHolds } from '../queue/lease.ts';
import { claimSends, enqueue, releaseSend, toOutboxItem } from '../queue/outbox.ts';
import { checkPacing, checkReplyWindow } from './send-rules.ts';
import { errorText, type QueueSettings } from './settings.ts';

export interface OutboxSenderDeps {
  core: CoreDeps;
  owner: string;
  settings: QueueSettings;
}

/**
 * Claims due sends and actions and carries them out: targets in parallel, each target's sends in order.
 * Returns how many it claimed.
 */
export async function sendOutboxBatch(deps: OutboxSenderDeps): Promise<number> {
  const { core, owner, settings } = deps;
  const rows = await claimSends(core.db, {
    owner,
    now: core.clock.now(),
    leaseMs: settings.leaseMs,
    limit: settings.batchSize,
  });
  const byTarget = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const lane = row.target_key ?? `action:${row.id}`;
    byTarget.set(lane, [...(byTarget.get(lane) ?? []), row]);
  }
  const queues = [...byTarget.values()];
  const lanes = Array.from({ length: Math.min(settings.sendConcurrency, queues.length) }, async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const row of queue) await carryOut(deps, row);
    }
  });
  await Promise.all(lanes);
  return rows.length;
}

async function carryOut(deps: OutboxSenderDeps, row: OutboxRow): Promise<void> {
  const { core, settings } = deps;
  const item = toOutboxItem(row);
  // Accepted by the platform before a process died: only its answer is left to handle, never the call again.
  if (row.status === 'settling') return handleAccepted(deps, row, item, acceptedResult(row));
  const adapter = core.adapters.get(row.platform);
  // Our own checks first (reply window, pacing): they wait on the database, which may be slow under load.
  const held =
    adapter && !isAction(item)
      ? ((await checkReplyWindow(core.db, adapter, item, row, core.clock.now())) ??
        (await checkPacing(core.db, adapter, item, row, core.clock.now())))
      : null;
  // A call still in flight when the lease ends could go out twice (another instance retakes it): checked right
  // before the call, after the checks above, and the row given back when too little lease is left.
  if (!held && !leaseHolds(row, core.clock.now(), Math.min(settings.sendTimeoutMs, settings.leaseMs / 2))) {
    await releaseSend(core.db, row.id, deps.owner, {
      status: 'pending',
      availableAt: core.clock.now(),
      refundAttempt: true,
    });
    return;
  }
  // The platform's time starts at the call: time spent on our own database checks must not make a send time out.
  const timed = async <T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const deadline = sendDeadline(settings.sendTimeoutMs);
    try {
      return await untilAborted(run(deadline.signal), deadline.signal);
    } finally {
      deadline.clear();
    }
  };
  let result: SendResult;
  if (held) {
    result = held;
  } else if (!adapter) {
    result = { ok: false, retryable: true, error: `the ${row.platform} adapter is not configured` };
  } else if (isAction(item)) {
    result = adapter.perform
      ? await timed((signal) =>
          (adapter.perform as NonNullable<typeof adapter.perform>)(item.action, signal),
        ).catch(failure)
      : { ok: false, retryable: false, error: `${row.platform} cannot ${item.action.type}` };
  } else {
    result = await timed((signal) => adapter.send(item, signal)).catch(failure);
  }
  await settle(deps, row, item, adapter, result);
}

const failure = (error: unknown): SendResult => ({ ok: false, retryable: true, error: errorText(error) });

/**
 * A signal that aborts `ms` from now, one timer turn late on purpose: timers run before network reads, so when the
 * process was blocked (a synchronous SQLite busy wait) or starved past the deadline, an answer that had already
 * arrived is read first instead of being thrown away — and the message sent a second time.
 */
function sendDeadline(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  let late: ReturnType<typeof setTimeout> | undefined;
  const due = setTimeout(() => {
    late = setTimeout(() => controller.abort(new Error('the platform call timed out')), 0);
  }, ms);
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(due);
      if (late !== undefined) clearTimeout(late);
    },
  };
}

/** Gives up at the signal even when the adapter ignores it (an SDK without abort support): a hung call must not stall every lane. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason ?? new Error('the platform call timed out'));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

async function settle(
  deps: OutboxSenderDeps,
  row: OutboxRow,
  item: OutboxItem,
  adapter: PlatformAdapter | undefined,
  result: SendResult,
): Promise<void> {
  const { core, owner, settings } = deps;
  const { db, clock, logger } = core;
  const now = clock.now();
  if (result.ok) {
    // Recorded as accepted, with the answer, before the answer is handled: a process dying in between leaves it to
    // the next claimer (`settling` rows are claimable) rather than losing a follow-up or sending again.
    const accepted: AcceptedResult = {
      platformMessageId: result.platformMessageId ?? null,
      events: result.events ?? [],
      followUps: result.followUps ?? [],
      at: now,
    };
    const onTimeline = !isAction(item) && row.customer_id !== null && row.chat_id !== null;
    const answered = accepted.events.length > 0 || accepted.followUps.length > 0;
    const sent = { sent_at: now, platform_message_id: accepted.platformMessageId };
    // Nothing to handle (a reply to staff): one write, as before.
    if (!onTimeline && !answered) {
      await recordAccepted(() => releaseSend(db, row.id, owner, { status: 'sent', extra: sent }));
      return;
    }
    const held = await recordAccepted(() =>
      releaseSend(db, row.id, owner, {
        status: 'settling',
        keepLease: true,
        extra: { ...sent, result: JSON.stringify(accepted) },
      }),
    );
    if (held) await handleAccepted(deps, row, item, accepted);
    return;
  }

  const paced = result.retryAfterMs !== undefined;
  const retry = result.retryable && (paced || row.attempts < settings.outboxMaxAttempts);
  await releaseSend(db, row.id, owner, {
    status: retry ? 'pending' : 'failed',
    error: result.error,
    refundAttempt: paced,
    extra: result.remaining ? { content: JSON.stringify(result.remaining) } : {},
    ...(retry
      ? {
          availableAt:
            now + (result.retryAfterMs ?? backoffMs(row.attempts, settings.retryBaseMs, settings.retryMaxMs)),
        }
      : {}),
  });
  if (!retry && item.reportTo !== undefined) {
    const notice = await reportUndelivered(core, item.reportTo, {
      ...(!isAction(item) && item.customerId !== undefined ? { customerId: item.customerId } : {}),
      platform: adapter?.platform ?? row.platform,
      idempotencyKey: row.idempotency_key,
      ...(result.code ? { code: result.code } : {}),
      error: result.error,
    });
    await enqueue(db, notice, now);
  }
  // What the refusal says about the recipient (they blocked the bot) is recorded like the platform's own notice.
  for (const [i, event] of (result.events ?? []).entries()) {
    try {
      await handleEvent(core, event, `${row.idempotency_key}:refused:${i}`);
    } catch (error) {
      logger.warn({ outbox: row.id, error: errorText(error) }, 'could not record what a refusal said');
    }
  }
  logger.warn(
    { outbox: row.id, platform: row.platform, attempt: row.attempts, error: result.error, willRetry: retry },
    'send failed',
  );
}

/**
 * Records that the platform accepted a send. The platform has already delivered it, so a failed write (a database
 * busy past its timeout) is retried here, a few times over a few seconds, instead of leaving the row to be claimed
 * and sent a second time after its lease.
 */
async function recordAccepted<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= RECORD_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}
const RECORD_ATTEMPTS = 5;

type Accepted = Extract<SendResult, { ok: true }>;

/** What a platform answered an accepted send, as the outbox keeps it while `settling`. */
interface AcceptedResult {
  platformMessageId: string | null;
  events: NonNullable<Accepted['events']>;
  followUps: NonNullable<Accepted['followUps']>;
  /** When the platform accepted it (follow-ups count from then). */
  at: number;
}

function acceptedResult(row: OutboxRow): AcceptedResult {
  const stored = row.result ? (JSON.parse(row.result) as Partial<AcceptedResult>) : {};
  return {
    platformMessageId: stored.platformMessageId ?? row.platform_message_id,
    events: stored.events ?? [],
    followUps: stored.followUps ?? [],
    at: stored.at ?? row.sent_at ?? 0,
  };
}

/**
 * An accepted send's answer, handled once the platform took it: the message on the customer's timeline, the events
 * it reported through the core, its follow-ups queued; then the row is `sent`. Every step is keyed, so handling the
 * same answer again (after a crash) adds nothing.
 */
async function handleAccepted(
  deps: OutboxSenderDeps,
  row: OutboxRow,
  item: OutboxItem,
  accepted: AcceptedResult,
): Promise<void> {
  const { core, owner } = deps;
  const { db } = core;
  const platformMessageId = accepted.platformMessageId ?? undefined;
  if (!isAction(item)) await putOnTimeline(core, row, item, platformMessageId, accepted.at);
  // What the platform reported back goes through the core like any event; follow-ups wait in the outbox.
  const followUps: OutboxItem[] = [];
  for (const [i, event] of accepted.events.entries()) {
    followUps.push(...(await handleEvent(core, event, `${row.idempotency_key}:result:${i}`)));
  }
  for (const [i, f] of accepted.followUps.entries()) {
    followUps.push({
      platform: row.platform,
      workspace: row.workspace,
      idempotencyKey: `${row.idempotency_key}:then:${i}`,
      notBefore: accepted.at + f.afterMs,
      action: f.action,
    });
  }
  await enqueue(db, followUps, core.clock.now());
  await releaseSend(db, row.id, owner, { status: 'sent', extra: { result: null } });
}

/** A confirmed send to a customer becomes an outbound message on their timeline. */
async function putOnTimeline(
  core: CoreDeps,
  row: OutboxRow,
  message: OutboundMessage,
  platformMessageId: string | undefined,
  now: number,
): Promise<void> {
  if (row.customer_id === null || row.chat_id === null || !platformMessageId) return;
  await recordMessage(core.db, {
    chatId: row.chat_id,
    customerId: row.customer_id,
    platform: row.platform,
    platformMessageId,
    direction: 'out',
    authorKind: message.authorStaffId !== undefined ? 'staff' : 'bot',
    authorStaffId: message.authorStaffId ?? null,
    // A copied picture or file keeps its kind; a picture sent with text shows as the picture, captioned.
    contentType: message.content.copyOf?.kind ?? (message.content.image ? 'image' : 'text'),
    text: message.content.text,
    sentAt: now,
    receivedAt: now,
  });
}
