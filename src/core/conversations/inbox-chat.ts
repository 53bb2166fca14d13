import { type Lang, messages } from '../kernel/i18n/index.ts';
import { maskText } from '../kernel/permissions/mask.ts';
import type { CoreDeps, RelayInbox } from '../kernel/runtime.ts';
import type { MessageEvent } from '../ports/events.ts';
import type { OutboundMessage, OutboxItem } from '../ports/outbound.ts';
import { channelName } from './channel-name.ts';
import { hasTopics, threadOf, topicOf } from './inbox-topics.ts';
import { attachmentCopies } from './relay-attachments.ts';
import {
  ORPHANED_AFTER_MS,
  PER_RELAY,
  quoted,
  RECOVER_MS,
  relayBlocks,
  relayStillGoing,
  type Said,
} from './relay-batches.ts';

/** Starts with relay.ts's `relay:`, so a platform reply to an inbox relay finds its customer (`customerOfRelay`). */
const INBOX_PREFIX = 'relay:inbox:';
/** Relays posted into a customer's own topic. */
const TOPIC_PREFIX = `${INBOX_PREFIX}topic:`;

/** The configured inbox chat, when its platform's adapter is on (otherwise the managers get the relays). */
export function relayInbox(deps: CoreDeps): RelayInbox | null {
  const inbox = deps.org.relayInbox;
  return inbox && deps.adapters.has(inbox.platform) ? inbox : null;
}

/** Whether a message was written in the inbox chat. */
export function inInboxChat(deps: CoreDeps, ev: MessageEvent): boolean {
  const inbox = relayInbox(deps);
  return (
    inbox !== null &&
    ev.platform === inbox.platform &&
    ev.chat.kind === 'group' &&
    ev.chat.platformChatId === inbox.chatId
  );
}

/**
 * Marks a customer's message for the inbox chat, once whatever the redeliveries: an unowned customer's, or every
 * customer's when the inbox is set to take them all. True when the inbox takes the relay meant for the managers.
 */
export async function queueInboxRelay(
  deps: CoreDeps,
  c: { customerId: number; messageId: number },
  owned: boolean,
): Promise<boolean> {
  const inbox = relayInbox(deps);
  if (!inbox || (owned && !inbox.everyCustomer)) return false;
  await deps.db
    .insertInto('inbox_relays')
    .values({
      message_id: c.messageId,
      customer_id: c.customerId,
      created_at: deps.clock.now(),
      batch_key: null,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
  return true;
}

/**
 * The inbox relays to send now, batched like private relays: in a group without topics one relay at a time for the
 * whole chat; in a group with topics one at a time per customer, in the customer's topic, which is created first (an
 * outbox action, kept once per key across instances) while their messages wait. With `recover`, relays a dead
 * process assigned but never queued are rebuilt.
 */
export async function flushInboxRelays(
  deps: CoreDeps,
  { limit = 500, recover = false } = {},
): Promise<OutboxItem[]> {
  const inbox = relayInbox(deps);
  if (!inbox) return [];
  const waiting = await deps.db
    .selectFrom('inbox_relays')
    .select(['id', 'customer_id'])
    .where('batch_key', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  const out: OutboxItem[] = [];
  const keys = new Set<string>();
  const topics = waiting.length > 0 ? await hasTopics(deps, inbox) : null;
  if (topics === false && !(await inFlight(deps, null))) {
    const key = await assign(
      deps,
      INBOX_PREFIX,
      waiting.slice(0, PER_RELAY).map((r) => r.id),
    );
    if (key) keys.add(key);
  }
  if (topics === true) {
    const byCustomer = new Map<number, number[]>();
    for (const r of waiting) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r.id]);
    for (const [customerId, ids] of byCustomer) {
      if (await inFlight(deps, customerId)) continue;
      const topic = await topicOf(deps, inbox, customerId);
      if (topic === 'waiting') continue;
      if (typeof topic === 'object') {
        out.push(topic);
        continue;
      }
      const key = await assign(deps, TOPIC_PREFIX, ids.slice(0, PER_RELAY));
      if (key) keys.add(key);
    }
  }
  if (recover) for (const key of await orphans(deps)) keys.add(key);
  for (const key of keys) out.push(...(await composeInboxRelay(deps, inbox, key)));
  return out;
}

/**
 * Assigns waiting rows to a relay; its key, or null when another instance took them all. Of two instances taking
 * rows at once, each gets only those still waiting, and the key names the whole set it tried (two different sets
 * sharing a key would leave one relay short of the other's rows, the outbox keeping the first).
 */
async function assign(deps: CoreDeps, prefix: string, ids: number[]): Promise<string | null> {
  const key = `${prefix}${ids[0]}-${ids.at(-1)}`;
  const taken = await deps.db
    .updateTable('inbox_relays')
    .set({ batch_key: key })
    .where('id', 'in', ids)
    .where('batch_key', 'is', null)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) > 0 ? key : null;
}

/** Whether the latest inbox relay (the customer's, in a chat with topics) is unsent or went out just now. */
async function inFlight(deps: CoreDeps, customerId: number | null): Promise<boolean> {
  let latest = deps.db
    .selectFrom('inbox_relays')
    .select('batch_key')
    .where('batch_key', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1);
  if (customerId !== null) latest = latest.where('customer_id', '=', customerId);
  return relayStillGoing(deps, (await latest.executeTakeFirst())?.batch_key);
}

/** Inbox relays assigned a while ago whose relay never reached the outbox (the process died in between). */
async function orphans(deps: CoreDeps): Promise<string[]> {
  const now = deps.clock.now();
  const rows = await deps.db
    .selectFrom('inbox_relays as r')
    .select('r.batch_key')
    .distinct()
    .where('r.created_at', '>=', now - RECOVER_MS)
    .where('r.created_at', '<=', now - ORPHANED_AFTER_MS)
    .where('r.batch_key', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('outbox as o').select('o.id').whereRef('o.idempotency_key', '=', 'r.batch_key'))),
    )
    .limit(20)
    .execute();
  return rows.flatMap((r) => (r.batch_key ? [r.batch_key] : []));
}

/** One inbox relay from the rows assigned to its key, masked: anyone in the group reads it. */
async function composeInboxRelay(deps: CoreDeps, inbox: RelayInbox, key: string): Promise<OutboxItem[]> {
  const adapter = deps.adapters.get(inbox.platform);
  const rows = await deps.db
    .selectFrom('inbox_relays as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .innerJoin('chats as ch', 'ch.id', 'm.chat_id')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .select([
      'r.id as relay_id',
      'r.customer_id',
      'c.display_name',
      'm.platform',
      'ch.kind',
      'm.text',
      'm.content_type',
      'm.content',
      'm.platform_message_id',
      'ch.platform_chat_id',
      'ch.workspace',
    ])
    .where('r.batch_key', '=', key)
    .orderBy('r.id')
    .execute();
  if (!adapter || rows.length === 0) return [];
  const customers = [...new Set(rows.map((r) => r.customer_id))];
  const only = customers.length === 1 ? customers[0] : undefined;
  const thread =
    key.startsWith(TOPIC_PREFIX) && only !== undefined
      ? await threadOf(deps, inbox, adapter.workspace, only)
      : undefined;
  const said = rows.map((r) => ({
    id: r.customer_id,
    name: r.display_name,
    where: channelName(inbox.language, r.platform, r.kind),
    text: quoted(r, inbox.language),
  }));
  const relay: OutboundMessage = {
    platform: inbox.platform,
    workspace: adapter.workspace,
    target: {
      kind: 'chat',
      chatId: inbox.chatId,
      chatKind: 'group',
      ...(thread ? { threadId: thread } : {}),
    },
    content: { text: maskText(inboxRelayText(inbox.language, said, thread !== undefined)) },
    idempotencyKey: key,
    ...(only !== undefined ? { customerId: only } : {}),
  };
  return [relay, ...attachmentCopies(deps, relay, rows, key)];
}

function inboxRelayText(lang: Lang, said: Said[], inTopic: boolean): string {
  const blocks = relayBlocks(lang, said);
  const customers = new Set(said.map((s) => s.id));
  const [one] = customers;
  const t = messages(lang).relay;
  if (inTopic) return t.inboxTopic(blocks.join('\n'));
  if (customers.size === 1 && one !== undefined) return t.inboxOne(blocks.join('\n'), one);
  return t.several(customers.size, blocks.join('\n\n'));
}
