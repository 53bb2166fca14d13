import type { Role } from '../../../db/schema.ts';
import { type Lang, languageOf, messages } from '../kernel/i18n/index.ts';
import { systemActor } from '../kernel/permissions/actor.ts';
import { auditUnmaskedRead } from '../kernel/permissions/contacts-shown.ts';
import { holdsContactData } from '../kernel/permissions/mask.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { ChatKind, MessageEvent } from '../ports/events.ts';
import type { OutboundMessage, OutboxItem } from '../ports/outbound.ts';
import { type CustomerAtHandReader, customerAtHandReader } from '../records/customers/at-hand.ts';
import { panelButton } from '../records/customers/card.ts';
import { messageToStaff } from '../records/staff/notify.ts';
import { activeAdmins, topManagers } from '../records/staff/top-managers.ts';
import { channelName } from './channel-name.ts';
import { flushInboxRelays, queueInboxRelay } from './inbox-chat.ts';
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

/** Chats only the bot sees: staff read a customer's words there only through a relay (not Business or groups). */
const UNSEEN_BY_STAFF: readonly ChatKind[] = ['private', 'service'];
/** A relay's outbox key starts with this: a platform reply to it is traced back to the customer. */
const RELAY_PREFIX = 'relay:';
/** So do alerts about one customer (intelligence/alerts.ts): the reply-time alert is answered where it is read. */
const ALERT_PREFIX = 'alert:';

/**
 * Marks a customer's new message in a chat staff cannot see to be relayed to whoever answers it: the owner, or, for
 * an unowned customer, the configured inbox chat, else the managers of the top-level teams (the admins when there are
 * none). Once per message and recipient, whatever the redeliveries; `flushRelays` sends them.
 */
export async function queueRelay(
  deps: CoreDeps,
  ev: MessageEvent,
  c: { customerId: number; messageId: number; fromCustomer: boolean },
  customer: CustomerAtHandReader = customerAtHandReader(deps.db, c.customerId),
): Promise<void> {
  if (!c.fromCustomer || ev.editedAt !== undefined || !UNSEEN_BY_STAFF.includes(ev.chat.kind)) return;
  const owner = await customer();
  if (!owner) return;
  const recipients = await relayRecipients(deps, owner.activeOwnerId, c);
  if (recipients.length === 0) return;
  const now = deps.clock.now();
  await deps.db
    .insertInto('relays')
    .values(
      recipients.map((r) => ({
        message_id: c.messageId,
        customer_id: c.customerId,
        staff_id: r.id,
        created_at: now,
        batch_key: null,
      })),
    )
    .onConflict((oc) => oc.columns(['message_id', 'staff_id']).doNothing())
    .execute();
}

/**
 * The relays to send now: waiting messages, per recipient, several in one message when they piled up — a recipient
 * whose previous relay is still waiting to be sent gets nothing new until it went, so a storm becomes a few long
 * relays, paced by the platform, rather than a flood. Each message goes out in exactly one relay (its row is
 * assigned to one relay key, which the outbox keeps once); with `recover`
 * (timed work), a relay whose process died before queueing it is rebuilt from its rows. Masked for reps by
 * `messageToStaff`; anyone else reading contact data whole is audited.
 */
export async function flushRelays(
  deps: CoreDeps,
  { limit = 500, recover = false } = {},
): Promise<OutboxItem[]> {
  const { db } = deps;
  const now = deps.clock.now();
  const waiting = await db
    .selectFrom('relays')
    .select(['id', 'staff_id'])
    .where('batch_key', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  const keys = new Set<string>();
  const byStaff = new Map<number, number[]>();
  for (const r of waiting) byStaff.set(r.staff_id, [...(byStaff.get(r.staff_id) ?? []), r.id]);
  for (const [staffId, ids] of byStaff) {
    if (await relayInFlight(deps, staffId)) continue;
    const chunk = ids.slice(0, PER_RELAY);
    // The key names the whole set: two instances that read different sets never share a key (the outbox would keep
    // the first one's relay, without the rows only the second one claimed).
    const key = `${RELAY_PREFIX}${staffId}:${chunk[0]}:${chunk.at(-1)}:${chunk.length}`;
    // Of two instances taking the same rows, each gets only those still waiting.
    const claimed = await db
      .updateTable('relays')
      .set({ batch_key: key })
      .where('id', 'in', chunk)
      .where('batch_key', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) > 0) keys.add(key);
  }
  const orphans = !recover
    ? []
    : await db
        .selectFrom('relays as r')
        .select('r.batch_key')
        .distinct()
        .where('r.created_at', '>=', now - RECOVER_MS)
        .where('r.created_at', '<=', now - ORPHANED_AFTER_MS)
        .where('r.batch_key', 'is not', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('outbox as o').select('o.id').whereRef('o.idempotency_key', '=', 'r.batch_key'),
            ),
          ),
        )
        .limit(20)
        .execute();
  for (const o of orphans) if (o.batch_key) keys.add(o.batch_key);
  const out: OutboxItem[] = [];
  for (const key of keys) out.push(...(await composeRelay(deps, key)));
  out.push(...(await flushInboxRelays(deps, { limit, recover })));
  return out;
}

/** Whether the recipient's latest relay is still to be sent, or went out just now. */
async function relayInFlight(deps: CoreDeps, staffId: number): Promise<boolean> {
  const latest = await deps.db
    .selectFrom('relays')
    .select('batch_key')
    .where('staff_id', '=', staffId)
    .where('batch_key', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return relayStillGoing(deps, latest?.batch_key);
}

/** One relay, from the rows assigned to its key. */
async function composeRelay(deps: CoreDeps, key: string): Promise<OutboundMessage[]> {
  const rows = await deps.db
    .selectFrom('relays as r')
    .innerJoin('messages as m', 'm.id', 'r.message_id')
    .innerJoin('chats as ch', 'ch.id', 'm.chat_id')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('staff as s', 's.id', 'r.staff_id')
    .select([
      'r.staff_id',
      's.role',
      's.language',
      'r.customer_id',
      'c.display_name',
      'm.platform',
      'ch.kind',
      'm.text',
      'm.content_type',
      'm.content',
      'r.id as relay_id',
      'm.platform_message_id',
      'ch.platform_chat_id',
      'ch.workspace',
    ])
    .where('r.batch_key', '=', key)
    .orderBy('r.id')
    .execute();
  const first = rows[0];
  if (!first) return [];
  const said = (lang: Lang) =>
    rows.map((r) => ({
      id: r.customer_id,
      name: r.display_name,
      where: channelName(lang, r.platform, r.kind),
      text: quoted(r, lang),
    }));
  const text = (lang: Lang) => relayText(lang, said(lang));
  const sent = await messageToStaff(deps, first.staff_id, text, key, first.platform);
  const customers = [...new Set(rows.map((r) => r.customer_id))];
  // One customer: a platform reply to the relay answers them; several: the relay says to use /reply #id.
  const only = customers.length === 1 ? customers[0] : undefined;
  const whole = said('zh')
    .filter((s) => holdsContactData(`${s.name} ${s.text}`))
    .map((s) => s.id);
  if (sent.length > 0 && whole.length > 0 && (first.role as Role) !== 'rep')
    // Liaison showed it to them: audited as the system, naming the reader.
    await auditUnmaskedRead(deps, { ...systemActor, staffId: first.staff_id }, [...new Set(whole)], {
      relay: key,
    });
  return [
    ...sent.map((m) =>
      only === undefined
        ? m
        : // About one customer: a button opens their panel (where the platform opens one, e.g. a Telegram Mini App).
          {
            ...m,
            customerId: only,
            content: { ...m.content, ...panelButton(deps, only, languageOf(first.language)) },
          },
    ),
    ...attachmentCopies(deps, sent[0], rows, key),
  ];
}

/** The owner when active; else none when the inbox chat took it; else the managers of top-level teams; else the admins. */
async function relayRecipients(
  deps: CoreDeps,
  activeOwnerId: number | null,
  c: { customerId: number; messageId: number },
): Promise<Array<{ id: number }>> {
  // The configured inbox chat takes unowned customers (every customer, when set so) instead of the managers.
  const inInbox = await queueInboxRelay(deps, c, activeOwnerId !== null);
  if (activeOwnerId !== null) return [{ id: activeOwnerId }];
  if (inInbox) return [];
  const managers = await topManagers(deps.db);
  return managers.length > 0 ? managers : activeAdmins(deps.db);
}

function relayText(lang: Lang, said: Said[]): string {
  const blocks = relayBlocks(lang, said);
  const customers = new Set(said.map((s) => s.id));
  const [one] = customers;
  const t = messages(lang).relay;
  if (customers.size === 1 && one !== undefined) return t.one(blocks.join('\n'), one);
  return t.several(customers.size, blocks.join('\n\n'));
}

/**
 * The customer a relay (or an alert about one customer) was about, when a staff member answers it with the
 * platform's reply (Telegram `reply_to_message`, a Feishu reply): found by the platform's id of the relay in that
 * staff member's chat.
 */
export async function customerOfRelay(
  deps: CoreDeps,
  ev: Pick<MessageEvent, 'platform' | 'workspace' | 'replyToMessageId' | 'chat' | 'sender'>,
): Promise<number | null> {
  if (!ev.replyToMessageId) return null;
  const rows = await deps.db
    .selectFrom('outbox')
    .select(['target', 'customer_id'])
    .where('platform', '=', ev.platform)
    .where('platform_message_id', '=', ev.replyToMessageId)
    .where('workspace', '=', ev.workspace)
    .where((eb) =>
      eb.or([
        eb('idempotency_key', 'like', `${RELAY_PREFIX}%`),
        eb('idempotency_key', 'like', `${ALERT_PREFIX}%`),
      ]),
    )
    .where('customer_id', 'is not', null)
    .execute();
  // Message ids are per chat on some platforms: the relay is the one sent to this chat (by its id, or to the person
  // where the platform addresses a private chat by user id).
  const here = [ev.chat.platformChatId, ...(ev.chat.kind === 'private' ? [ev.sender.externalId] : [])];
  const relay = rows.find((r) => here.includes((JSON.parse(r.target) as { chatId?: string }).chatId ?? ''));
  return relay?.customer_id ?? null;
}
