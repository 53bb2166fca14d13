import { windowState } from '../conversations/reply-window.ts';
import type { ChatKind, Platform } from '../events.ts';
import type { CoreDeps } from '../runtime.ts';

const HOUR = 3_600_000;
/** Telegram Business: a bot may write in a business chat only within 24 h of the customer's last message. */
const BUSINESS_WINDOW_MS = 24 * HOUR;
/** WeChat Customer Service (kf): within 48 h of the customer's last message, at most 5 messages until they write. */
const SERVICE_WINDOW_MS = 48 * HOUR;
const SERVICE_MAX_REPLIES = 5;

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
  /** A WeCom mass-send task (企业群发) that the member holding the customer as a contact confirms. */
  | {
      kind: 'wecom_template';
      workspace: string;
      senderExternalId: string;
      senderStaffId: number | null;
      customerExternalId: string;
    };

/** Why a customer cannot be reached now. */
export type NoRoute = 'no_channel' | 'outside_window';

/**
 * The best way to reach a customer now: a WeCom contact relation (the owner's first) through a mass-send task;
 * else a Telegram private chat; else a chat whose platform window is open (Telegram Business 24 h, WeChat Customer
 * Service 48 h / 5 messages); else a Feishu group where the customer is the only customer; else a web chat.
 */
export async function findOutreachRoute(
  deps: CoreDeps,
  customerId: number,
  now: number,
): Promise<OutreachRoute | NoRoute> {
  const { db } = deps;
  const wecom = deps.adapters.get('wecom');
  if (wecom?.perform) {
    const relations = await db
      .selectFrom('contact_relations as r')
      .innerJoin('identities as i', 'i.id', 'r.identity_id')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .select(['r.member_external_id', 'r.staff_id', 'i.external_id', 'c.owner_staff_id', 'r.added_at'])
      .where('r.customer_id', '=', customerId)
      .where('r.status', '=', 'active')
      .where('i.platform', '=', 'wecom')
      .execute();
    const best = relations.sort(
      (a, b) =>
        Number(b.staff_id === b.owner_staff_id) - Number(a.staff_id === a.owner_staff_id) ||
        (b.added_at ?? 0) - (a.added_at ?? 0),
    )[0];
    if (best)
      return {
        kind: 'wecom_template',
        workspace: wecom.workspace,
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
  const usable = chats.filter((c) => deps.adapters.has(c.platform));
  const asRoute = (c: (typeof chats)[number]): OutreachRoute => ({
    kind: 'chat',
    platform: c.platform,
    workspace: c.workspace,
    chatId: c.id,
    platformChatId: c.platform_chat_id,
    chatKind: c.kind,
    ...(c.connection_id ? { connectionId: c.connection_id } : {}),
  });
  const telegramPrivate = usable.find((c) => c.platform === 'telegram' && c.kind === 'private');
  if (telegramPrivate) return asRoute(telegramPrivate);
  let windowClosed = false;
  for (const c of usable.filter((x) => x.kind === 'business' || x.kind === 'service')) {
    const window =
      c.kind === 'business'
        ? { withinMs: BUSINESS_WINDOW_MS, maxReplies: Number.POSITIVE_INFINITY }
        : { withinMs: SERVICE_WINDOW_MS, maxReplies: SERVICE_MAX_REPLIES };
    if ((await windowState(deps.db, c.id, window, now)) === 'open') return asRoute(c);
    windowClosed = true;
  }
  const feishu = await soleCustomerFeishuGroup(deps, customerId);
  if (feishu) return feishu;
  const web = usable.find((c) => c.platform === 'web');
  if (web) return asRoute(web);
  return windowClosed ? 'outside_window' : 'no_channel';
}

/** A Feishu external chat where this customer is the only customer who writes: a message there reaches only them. */
async function soleCustomerFeishuGroup(deps: CoreDeps, customerId: number): Promise<OutreachRoute | null> {
  if (!deps.adapters.has('feishu')) return null;
  const groups = await deps.db
    .selectFrom('chats as c')
    .select(['c.id', 'c.workspace', 'c.platform_chat_id', 'c.kind'])
    .where('c.platform', '=', 'feishu')
    .where('c.id', 'in', (eb) =>
      eb
        .selectFrom('messages')
        .select('chat_id')
        .where('customer_id', '=', customerId)
        .where('platform', '=', 'feishu')
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
    .limit(1)
    .execute();
  const g = groups[0];
  return g
    ? {
        kind: 'chat',
        platform: 'feishu',
        workspace: g.workspace,
        chatId: g.id,
        platformChatId: g.platform_chat_id,
        chatKind: g.kind,
      }
    : null;
}
