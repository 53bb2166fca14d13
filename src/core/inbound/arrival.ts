import type { CoreDeps } from '../kernel/runtime.ts';
import type { ContactEvent, MessageEvent } from '../ports/events.ts';
import { channelCodeNamed, recordCustomerSource, SOURCE_CODE } from '../records/customers/sources.ts';
import { recordCustomerEvent } from '../records/timeline/customer-events.ts';

// How customers arrive through channel codes on each platform: a WeCom contact-me `State`, a Telegram deep link
// (`/start <payload>`), a Feishu external chat bound to a code.

/** WeCom `add_external_contact` with a `State`: the new contact came through that contact-me code. */
export async function attributeContact(
  deps: CoreDeps,
  ev: ContactEvent,
  customerId: number,
  key: string,
): Promise<void> {
  if (ev.change !== 'added' || !ev.channel) return;
  await recordCustomerSource(
    deps.db,
    {
      customerId,
      code: ev.channel,
      platform: ev.platform,
      at: ev.occurredAt,
      sourceKey: `${key}:source`,
    },
    deps.clock.now(),
  );
}

/**
 * The code a customer's arrival through a link carries, as its adapter decoded it (a Telegram deep link's `/start
 * <payload>`): undefined when the message is no such arrival, else the code when it is a valid one (null otherwise).
 */
export function deepLinkPayload(ev: MessageEvent): string | null | undefined {
  if (ev.arrival === undefined) return undefined;
  const code = ev.arrival.code;
  return code !== null && SOURCE_CODE.test(code) ? code : null;
}

/**
 * Who a customer opening the bot through a deep link becomes: a brand-new customer gets `telegram:<code>` as
 * `customers.source` and the code's rep as owner. Their `/start` is kept on the timeline as their first message (so
 * the first-response clock runs), but it is a button press, not words: it is not read by the model nor relayed, and
 * the customer gets no more than the configured acknowledgement.
 */
export async function deepLinkArrival(
  deps: CoreDeps,
  ev: MessageEvent,
  code: string | null,
): Promise<{ source: string; ownerStaffId?: number }> {
  const channel = code ? await channelCodeNamed(deps.db, code) : undefined;
  return {
    source: code ? `${ev.platform}:${code}` : ev.platform,
    ...(channel && channel.staff_id !== null ? { ownerStaffId: channel.staff_id } : {}),
  };
}

/** The deep link's code becomes a source of the customer who came through it (once per message). */
export async function attributeDeepLink(
  deps: CoreDeps,
  ev: MessageEvent,
  code: string | null,
  customerId: number,
): Promise<void> {
  if (!code) return;
  const { db } = deps;
  const channel = await channelCodeNamed(db, code);
  const sourceKey = `${ev.platform}:${ev.workspace}:${ev.chat.key}:${ev.messageId}:source`;
  await recordCustomerSource(
    db,
    { customerId, code, platform: ev.platform, at: ev.occurredAt, sourceKey },
    deps.clock.now(),
  );
  await recordCustomerEvent(db, {
    customerId,
    key: `${sourceKey}:arrived`,
    at: ev.occurredAt,
    kind: 'arrived_via_channel',
    platform: ev.platform,
    detail: { code, ...(channel ? { channel: channel.name } : {}) },
  });
}

/**
 * A customer's message in a Feishu external chat bound to a channel code: their first message there makes the code
 * a source of theirs (once per customer and code). Nothing happens in chats no code is bound to.
 */
export async function attributeBoundChat(
  deps: CoreDeps,
  ev: MessageEvent,
  captured: { customerId: number; chatId: number; fromCustomer: boolean },
): Promise<void> {
  if (ev.chat.kind === 'private' || !captured.fromCustomer) return;
  if (deps.adapters.get(ev.platform)?.channels?.by !== 'chat') return;
  if (ev.editedAt !== undefined) return;
  const { db } = deps;
  const bound = await db
    .selectFrom('channel_codes')
    .select(['id', 'code'])
    .where('platform', '=', ev.platform)
    .where('workspace', '=', ev.workspace)
    .where('platform_ref', '=', ev.chat.platformChatId)
    .where('active', '=', 1)
    .orderBy('id')
    .executeTakeFirst();
  if (!bound) return;
  // Someone who wrote here before (before the binding, say) was not brought by it.
  const earlier = await db
    .selectFrom('messages')
    .select('id')
    .where('chat_id', '=', captured.chatId)
    .where('customer_id', '=', captured.customerId)
    .where('direction', '=', 'in')
    .where('sent_at', '<', ev.occurredAt)
    .limit(1)
    .executeTakeFirst();
  if (earlier) return;
  await recordCustomerSource(
    db,
    {
      customerId: captured.customerId,
      code: bound.code,
      platform: ev.platform,
      at: ev.occurredAt,
      sourceKey: `${ev.platform}:bound:${bound.id}:${captured.customerId}`,
    },
    deps.clock.now(),
  );
}
