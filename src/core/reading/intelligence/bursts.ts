import { preparedQuery } from '../../../../db/prepared.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { addBusinessTime } from '../../kernel/time/business-time.ts';

/** Messages closer than this belong to one burst (a customer typing several lines in a row). */
export const BURST_GAP_MS = 10 * 60_000;
/** The model is asked once the customer has been quiet this long: one call for a burst, not one per message. */
export const LLM_DEBOUNCE_MS = 60_000;

export interface Burst {
  id: number;
  startedAt: number;
}

/**
 * The burst a customer's inbound message at `at` belongs to: the open one within the gap, or a new one. A burst the
 * model has already read is closed, so a later message starts a new one. Safe to repeat for the same message.
 */
export async function trackBurst(
  deps: CoreDeps,
  customerId: number,
  at: number,
  llmOn: boolean,
  /** False for history (an archive backfill): nobody waits for an answer to it, so no reply SLA. */
  watchReply = true,
): Promise<Burst> {
  const { db, clock } = deps;
  const now = clock.now();
  const open = await openBurst.first(db, { customerId, at, since: at - BURST_GAP_MS });
  if (open && (open.llm_status === 'pending' || open.llm_status === 'none')) {
    if (at > open.last_message_at) {
      await db
        .updateTable('conversation_bursts')
        .set({
          last_message_at: at,
          updated_at: now,
          // Every new line pushes the model call back: the customer is still typing.
          ...(open.llm_status === 'pending'
            ? { llm_due_at: Math.max(open.llm_due_at ?? 0, at + LLM_DEBOUNCE_MS) }
            : {}),
        })
        .where('id', '=', open.id)
        .where('last_message_at', '<', at)
        .execute();
    }
    return { id: open.id, startedAt: open.started_at };
  }
  if (open?.started_at === at) return { id: open.id, startedAt: at }; // this very message, already read by the model
  const inserted = await db
    .insertInto('conversation_bursts')
    .values({
      customer_id: customerId,
      started_at: at,
      last_message_at: at,
      llm_status: llmOn ? 'pending' : 'none',
      llm_due_at: llmOn ? at + LLM_DEBOUNCE_MS : null,
      llm_attempts: 0,
      llm_error: null,
      intent: null,
      sentiment: null,
      summary: null,
      reply_due_at: watchReply
        ? addBusinessTime(at, deps.org.replySlaMs, deps.org.businessHours, deps.org.timeZone)
        : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['customer_id', 'started_at']).doNothing())
    .returning('id')
    .executeTakeFirst();
  // No row back: this message's burst exists already (it is read again, or a message of the same moment started it).
  const row =
    inserted ??
    (await db
      .selectFrom('conversation_bursts')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('started_at', '=', at)
      .executeTakeFirstOrThrow());
  return { id: row.id, startedAt: at };
}

const openBurst = preparedQuery((db, v: { customerId: number; at: number; since: number }) =>
  db
    .selectFrom('conversation_bursts')
    .select(['id', 'started_at', 'last_message_at', 'llm_status', 'llm_due_at'])
    .where('customer_id', '=', v.customerId)
    .where('started_at', '<=', v.at)
    .where('last_message_at', '>=', v.since)
    .orderBy('started_at', 'desc')
    .limit(1),
);

/** The customer's last message in a burst (quoted in alerts, linked from tags). */
export function lastMessageOfBurst(
  deps: CoreDeps,
  b: { customer_id: number; started_at: number; last_message_at: number },
): Promise<{ id: number; text: string; content_type: string; content: string | null } | undefined> {
  return deps.db
    .selectFrom('messages')
    .select(['id', 'text', 'content_type', 'content'])
    .where('customer_id', '=', b.customer_id)
    .where('direction', '=', 'in')
    .where('sent_at', '>=', b.started_at)
    .where('sent_at', '<=', b.last_message_at)
    .orderBy('sent_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
