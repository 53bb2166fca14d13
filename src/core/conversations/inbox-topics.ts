import { maskText } from '../kernel/permissions/mask.ts';
import type { CoreDeps, RelayInbox } from '../kernel/runtime.ts';
import type { MessageEvent } from '../ports/events.ts';
import type { OutboundAction } from '../ports/outbound.ts';

// One topic per customer in an inbox chat with topics (a Telegram forum): created once, then found both ways.

/** Whether the inbox chat has topics; null while the platform cannot say (its relays wait). */
export async function hasTopics(deps: CoreDeps, inbox: RelayInbox): Promise<boolean | null> {
  const topics = deps.adapters.get(inbox.platform)?.topics;
  if (!topics) return false;
  try {
    return await topics.enabled(inbox.chatId);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ platform: inbox.platform, error: reason }, 'inbox chat not readable; relays wait');
    return null;
  }
}

const topicKey = (inbox: RelayInbox, customerId: number) =>
  `inbox-topic:${inbox.platform}:${inbox.chatId}:${customerId}`;

/**
 * The customer's topic: its id once known; the action creating it when nobody asked yet; `waiting` while it is
 * being created; `general` when the platform refused it for good (relays then go to the chat itself, not lost).
 */
export async function topicOf(
  deps: CoreDeps,
  inbox: RelayInbox,
  customerId: number,
): Promise<string | 'waiting' | 'general' | OutboundAction> {
  const adapter = deps.adapters.get(inbox.platform);
  if (!adapter) return 'waiting';
  const known = await threadOf(deps, inbox, adapter.workspace, customerId);
  if (known) return known;
  const key = topicKey(inbox, customerId);
  const created = await deps.db
    .selectFrom('outbox')
    .select(['status', 'platform_message_id'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  if (!created) {
    const customer = await deps.db
      .selectFrom('customers')
      .select('display_name')
      .where('id', '=', customerId)
      .executeTakeFirst();
    // The whole group reads the topic's name: masked like the relays.
    const name = maskText(`#${customerId} ${customer?.display_name ?? ''}`.trim());
    return {
      platform: inbox.platform,
      workspace: adapter.workspace,
      idempotencyKey: key,
      action: { type: 'create_topic', chatId: inbox.chatId, name },
    };
  }
  if (created.status === 'failed') return 'general';
  if (created.status !== 'sent' || !created.platform_message_id) return 'waiting';
  // The mapping is written by whoever sees the topic first; the unique keys keep one.
  await deps.db
    .insertInto('inbox_topics')
    .values({
      platform: inbox.platform,
      workspace: adapter.workspace,
      chat_id: inbox.chatId,
      customer_id: customerId,
      thread_id: created.platform_message_id,
      created_at: deps.clock.now(),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return (await threadOf(deps, inbox, adapter.workspace, customerId)) ?? 'waiting';
}

/** The customer's topic in the inbox chat, once created. */
export async function threadOf(
  deps: CoreDeps,
  inbox: RelayInbox,
  workspace: string,
  customerId: number,
): Promise<string | undefined> {
  const row = await deps.db
    .selectFrom('inbox_topics')
    .select('thread_id')
    .where('platform', '=', inbox.platform)
    .where('workspace', '=', workspace)
    .where('chat_id', '=', inbox.chatId)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return row?.thread_id;
}

/** The customer whose topic a message in the inbox chat was written in, if it was. */
export async function customerOfTopic(deps: CoreDeps, ev: MessageEvent): Promise<number | null> {
  if (ev.threadId === undefined) return null;
  const topic = await deps.db
    .selectFrom('inbox_topics')
    .select('customer_id')
    .where('platform', '=', ev.platform)
    .where('workspace', '=', ev.workspace)
    .where('chat_id', '=', ev.chat.platformChatId)
    .where('thread_id', '=', ev.threadId)
    .executeTakeFirst();
  return topic?.customer_id ?? null;
}
