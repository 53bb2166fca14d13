import type { Insertable } from 'kysely';
import { preparedInsert, preparedQuery } from '../../../../db/prepared.ts';
import type { Database } from '../../../../db/schema.ts';
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
  /** The customer was created for this message: no burst of theirs can be open. */
  newCustomer = false,
): Promise<Burst> {
  const { db, clock } = deps;
  const now = clock.now();
  const open = newCustomer
    ? undefined
    : await openBurst.first(db, { customerId, at, since: at - BURST_GAP_MS });
  if (open && (open.llm_status === 'pending' || open.llm_status === 'none')) {
    if (at > open.last_message_at) {
      // Every new line pushes the model call back: the customer is still typing.
      const llmDueAt =
        open.llm_status === 'pending'
          ? Math.max(open.llm_due_at ?? 0, at + LLM_DEBOUNCE_MS)
          : open.llm_due_at;
      await extendBurst.execute(db, { id: open.id, at, now, llmDueAt });
    }
    return { id: open.id, startedAt: open.started_at };
  }
  if (open?.started_at === at) return { id: open.id, startedAt: at }; // this very message, already read by the model
  const inserted = await newBurst.insertedId(db, {
    customer_id: customerId,
    started_at: at,
    last_message_at: at,
    llm_status: llmOn ? 'pending' : 'none',
    llm_due_at: llmOn ? at + LLM_DEBOUNCE_MS : null,
    reply_due_at: watchReply
      ? addBusinessTime(at, deps.org.replySlaMs, deps.org.businessHours, deps.org.timeZone)
      : null,
    created_at: now,
    updated_at: now,
  });
  // No id back: this message's burst exists already (it is read again, or a message of the same moment started it).
  const id =
    inserted ??
    (
      await db
        .selectFrom('conversation_bursts')
        .select('id')
        .where('customer_id', '=', customerId)
        .where('started_at', '=', at)
        .executeTakeFirstOrThrow()
    ).id;
  return { id, startedAt: at };
}

const extendBurst = preparedQuery((db, v: { id: number; at: number; now: number; llmDueAt: number | null }) =>
  db
    .updateTable('conversation_bursts')
    .set({ last_message_at: v.at, updated_at: v.now, llm_due_at: v.llmDueAt })
    .where('id', '=', v.id)
    .where('last_message_at', '<', v.at),
);

/** A new burst; nothing back when this message's burst exists already (a repeat, or a message of the same moment). */
const newBurst = preparedInsert(
  (
    db,
    row: Pick<
      Insertable<Database['conversation_bursts']>,
      | 'customer_id'
      | 'started_at'
      | 'last_message_at'
      | 'llm_status'
      | 'llm_due_at'
      | 'reply_due_at'
      | 'created_at'
      | 'updated_at'
    >,
  ) =>
    db
      .insertInto('conversation_bursts')
      .values({
        customer_id: row.customer_id,
        started_at: row.started_at,
        last_message_at: row.last_message_at,
        llm_status: row.llm_status,
        llm_due_at: row.llm_due_at,
        llm_attempts: 0,
        llm_error: null,
        intent: null,
        sentiment: null,
        summary: null,
        reply_due_at: row.reply_due_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
      })
      .onConflict((oc) => oc.columns(['customer_id', 'started_at']).doNothing()),
);

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
