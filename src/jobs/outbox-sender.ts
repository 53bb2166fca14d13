import type { OutboxRow } from '../../db/schema.ts';
import { recordMessage } from '../core/conversations/messages.ts';
import type { SendResult } from '../core/outbound.ts';
import type { CoreDeps } from '../core/runtime.ts';
import { backoffMs } from '../queue/lease.ts';
import { claimSends, releaseSend, toOutboundMessage } from '../queue/outbox.ts';
import { errorText, type QueueSettings } from './settings.ts';

export interface OutboxSenderDeps {
  core: CoreDeps;
  owner: string;
  settings: QueueSettings;
}

/** Claims due sends and delivers them: chats in parallel, each chat's sends in order. Returns how many it claimed. */
export async function sendOutboxBatch(deps: OutboxSenderDeps): Promise<number> {
  const { core, owner, settings } = deps;
  const rows = await claimSends(core.db, {
    owner,
    now: core.clock.now(),
    leaseMs: settings.leaseMs,
    limit: settings.batchSize,
  });
  const byChat = new Map<string, OutboxRow[]>();
  for (const row of rows) {
    const chat = `${row.platform}:${row.workspace}:${row.target}`;
    byChat.set(chat, [...(byChat.get(chat) ?? []), row]);
  }
  const queues = [...byChat.values()];
  const lanes = Array.from({ length: Math.min(settings.sendConcurrency, queues.length) }, async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const row of queue) await sendOne(deps, row);
    }
  });
  await Promise.all(lanes);
  return rows.length;
}

async function sendOne(deps: OutboxSenderDeps, row: OutboxRow): Promise<void> {
  const { core, owner, settings } = deps;
  const { db, clock, logger } = core;
  const message = toOutboundMessage(row);
  const adapter = core.adapters.get(row.platform);
  const result: SendResult = adapter
    ? await adapter
        .send(message, AbortSignal.timeout(settings.sendTimeoutMs))
        .catch((error: unknown) => ({ ok: false, retryable: true, error: errorText(error) }))
    : { ok: false, retryable: true, error: `the ${row.platform} adapter is not configured` };
  const now = clock.now();

  if (result.ok) {
    await releaseSend(db, row.id, owner, {
      status: 'sent',
      extra: { sent_at: now, platform_message_id: result.platformMessageId ?? null },
    });
    if (row.customer_id !== null && row.chat_id !== null && result.platformMessageId) {
      await recordMessage(db, {
        chatId: row.chat_id,
        customerId: row.customer_id,
        platform: row.platform,
        platformMessageId: result.platformMessageId,
        direction: 'out',
        authorKind: 'bot',
        authorStaffId: null,
        contentType: 'text',
        text: message.content.text,
        sentAt: now,
        receivedAt: now,
      });
    }
    return;
  }

  const rateLimited = result.retryAfterMs !== undefined;
  const retry = result.retryable && (rateLimited || row.attempts < settings.outboxMaxAttempts);
  const remaining: Record<string, string> = result.remaining
    ? { content: JSON.stringify(result.remaining) }
    : {};
  await releaseSend(db, row.id, owner, {
    status: retry ? 'pending' : 'failed',
    error: result.error,
    refundAttempt: rateLimited,
    extra: remaining,
    ...(retry
      ? {
          availableAt:
            now + (result.retryAfterMs ?? backoffMs(row.attempts, settings.retryBaseMs, settings.retryMaxMs)),
        }
      : {}),
  });
  logger.warn(
    { outbox: row.id, platform: row.platform, attempt: row.attempts, error: result.error, willRetry: retry },
    'send failed',
  );
}
