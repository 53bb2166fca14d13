import type { CoreDeps } from '../../kernel/runtime.ts';
import type { ChatKind, Platform } from '../../ports/events.ts';
import type { ChatTarget, OutboundMessage, ReplyWindow } from '../../ports/outbound.ts';
import { unreachableChats } from '../../records/customers/unreachable.ts';
import { windowState } from '../../records/timeline/reply-window.ts';

/** How a marketing message can reach one customer within the platform's rules. */
export type OutreachRoute =
  /** A message to a chat with the customer (Telegram private or Business, WeChat Customer Service, Feishu, web). */
  | {
      kind: 'chat';
      platform: Platform;
      workspace: string;
      /** Liaison's chat id, for the timeline. */
      chatId: number;
      platformChatId: string;
      chatKind: ChatKind;
      connectionId?: string;
    }
  /** A mass-send task (WeCom 企业群发) that the member holding the customer as a contact confirms. */
  | {
      kind: 'wecom_template';
      platform: Platform;
      workspace: string;
      senderExternalId: string;
      senderStaffId: number | null;
      customerExternalId: string;
    };

/** Why a customer cannot be reached now. */
export type NoRoute = 'no_channel' | 'outside_window';

/**
 * The best way to reach a customer now, by what each platform's adapter declares: a contact relation (the owner's
 * first) on a platform with mass-send tasks; else a one-to-one chat without a reply window; else a chat whose window
 * is open (e.g. Telegram Business 24 h, WeChat Customer Service 48 h / 5 messages); else a group where the customer is
 * the only customer who writes. Among equals, the chat used last. A chat where the customer blocked the bot is never
 * a route: with no other, the customer is skipped as having no channel.
 */
export async function findOutreachRoute(
  deps: CoreDeps,
  customerId: number,
  now: number,
): Promise<OutreachRoute | NoRoute> {
  const { db } = deps;
  for (const adapter of deps.adapters.values()) {
    if (!adapter.massSends || !adapter.perform) continue;
    const relations = await db
      .selectFrom('contact_relations as r')
      .innerJoin('identities as i', 'i.id', 'r.identity_id')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['r.member_external_id', 'r.staff_id', 'i.external_id', 'c.owner_staff_id', 'r.added_at'])
      .where('r.customer_id', '=', customerId)
      .where('r.status', '=', 'active')
      .where('i.platform', '=', adapter.platform)
      .execute();
    const best = relations.sort(
      (a, b) =>
        Number(b.staff_id === b.owner_staff_id) - Number(a.staff_id === a.owner_staff_id) ||
        (b.added_at ?? 0) - (a.added_at ?? 0),
    )[0];
    if (best)
      return {
        kind: 'wecom_template',
        platform: adapter.platform,
        workspace: adapter.workspace,
        senderExternalId: best.member_external_id,
        senderStaffId: best.staff_id,
        customerExternalId: best.external_id,
      };
  }
  const chats = await db
    .selectFrom('chats')
    .select(['id', 'platform', 'workspace', 'platform_chat_id', 'kind', 'connection_id', 'updated_at'])
    .where('customer_id', '=', customerId)
    .orderBy('updated_at', 'desc')
    .execute();
  const windowed: Array<{ chat: (typeof chats)[number]; window: ReplyWindow }> = [];
  const isUnreachable = await unreachableChats(db, customerId);
  for (const c of chats) {
    const adapter = deps.adapters.get(c.platform);
    if (!adapter || adapter.writesIn?.(targetOf(c)) === false || isUnreachable(c)) continue;
    const window = adapter.replyWindow?.(probe(c));
    if (window) windowed.push({ chat: c, window });
    else if (c.kind === 'private') return asRoute(c);
  }
  let windowClosed = false;
  for (const { chat, window } of windowed) {
    if ((await windowState(db, chat.id, window, now)) === 'open') return asRoute(chat);
    windowClosed = true;
  }
  const group = await soleCustomerGroup(deps, customerId);
  if (group) return asRoute(group);
  return windowClosed ? 'outside_window' : 'no_channel';
}

interface ChatRow {
  id: number;
  platform: Platform;
  workspace: string;
  platform_chat_id: string;
  kind: ChatKind;
  connection_id?: string | null;
}

const targetOf = (c: ChatRow): ChatTarget => ({
  kind: 'chat',
  chatId: c.platform_chat_id,
  chatKind: c.kind,
  ...(c.connection_id ? { connectionId: c.connection_id } : {}),
});

/** The message an adapter is asked about when it declares a chat's window. */
const probe = (c: ChatRow): OutboundMessage => ({
  platform: c.platform,
  workspace: c.workspace,
  target: targetOf(c),
  content: { text: '' },
  idempotencyKey: '',
});

const asRoute = (c: ChatRow): OutreachRoute => ({
  kind: 'chat',
  platform: c.platform,
  workspace: c.workspace,
  chatId: c.id,
  platformChatId: c.platform_chat_id,
  chatKind: c.kind,
  ...(c.connection_id ? { connectionId: c.connection_id } : {}),
});

/** A group chat (on a platform Liaison sends to) where this customer is the only customer who writes. */
async function soleCustomerGroup(deps: CoreDeps, customerId: number): Promise<ChatRow | null> {
  const platforms = [...deps.adapters.keys()] as Platform[];
  if (platforms.length === 0) return null;
  const groups = await deps.db
    .selectFrom('chats as c')
    .select(['c.id', 'c.platform', 'c.workspace', 'c.platform_chat_id', 'c.kind'])
    .where('c.platform', 'in', platforms)
    .where('c.kind', 'in', ['group', 'external_group'])
    .where('c.id', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select('chat_id')
        .where('customer_id', '=', customerId)
        .where('direction', '=', 'in'),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('messages as o')
            .select('o.id')
            .whereRef('o.chat_id', '=', 'c.id')
            .where('o.direction', '=', 'in')
            .where('o.customer_id', 'is not', null)
            .where('o.customer_id', '<>', customerId),
        ),
      ),
    )
    .orderBy('c.updated_at', 'desc')
    .limit(5)
    .execute();
  return groups.find((g) => deps.adapters.get(g.platform)?.writesIn?.(targetOf(g)) !== false) ?? null;
}
