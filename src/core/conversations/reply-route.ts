import type { CoreDeps } from '../kernel/runtime.ts';
import type { ChatKind, Platform } from '../ports/events.ts';
import type { ChatTarget } from '../ports/outbound.ts';
import { unreachableChats } from '../records/customers/unreachable.ts';
import { type WindowState, windowState } from '../records/timeline/reply-window.ts';

/** Where a reply to a customer goes now: a chat Liaison can write in, through the brand account it came through. */
export interface ReplyRoute {
  platform: Platform;
  workspace: string;
  /** Liaison's chat id (the reply lands on the timeline there). */
  chatId: number;
  chatKind: ChatKind;
  target: ChatTarget;
}

/**
 * Why no chat reaches the customer now: none Liaison can write in (`no_channel`), only WeCom contacts of staff
 * (`contact_only`: the member writes in their own WeCom client), the platform's window is closed or spent, or the
 * customer blocked the bot in the only chat there is (`unreachable`).
 */
export type NoReplyRoute = 'no_channel' | 'contact_only' | 'unreachable' | Exclude<WindowState, 'open'>;

const CHAT_COLUMNS = [
  'c.id',
  'c.platform',
  'c.workspace',
  'c.platform_chat_id',
  'c.kind',
  'c.connection_id',
  'c.customer_id',
] as const;

/** Chat kinds where the brand's message reaches only this customer. */
const ONE_TO_ONE: readonly ChatKind[] = ['private', 'service', 'business'];

/**
 * The chat a reply goes to: where the customer last wrote, among the chats the brand can write in under each
 * platform's window (as its adapter declares it) — a one-to-one chat, or a group where this customer is the only
 * customer who writes. Otherwise why not, the most useful reason first.
 */
export async function replyRoute(
  deps: CoreDeps,
  customerId: number,
  now: number,
): Promise<ReplyRoute | NoReplyRoute> {
  const { db } = deps;
  const chats = await db
    .selectFrom('messages as m')
    .innerJoin('chats as c', 'c.id', 'm.chat_id')
    .select([...CHAT_COLUMNS])
    .select((eb) => eb.fn.max('m.sent_at').as('last_in'))
    .where('m.customer_id', '=', customerId)
    .where('m.direction', '=', 'in')
    .groupBy([...CHAT_COLUMNS])
    .orderBy('last_in', 'desc')
    .limit(20)
    .execute();
  // A one-to-one chat whose first message is still being recorded counts too, after those with messages.
  const direct = await db
    .selectFrom('chats as c')
    .select([...CHAT_COLUMNS])
    .where('c.customer_id', '=', customerId)
    .orderBy('c.updated_at', 'desc')
    .limit(20)
    .execute();
  const seen = new Set(chats.map((c) => c.id));
  const candidates = [...chats, ...direct.filter((c) => !seen.has(c.id))];
  let closed: NoReplyRoute | null = null;
  const isUnreachable = await unreachableChats(db, customerId);
  let blocked = false;
  for (const c of candidates) {
    const adapter = deps.adapters.get(c.platform);
    if (!adapter) continue;
    if (isUnreachable(c)) {
      blocked = true;
      continue;
    }
    const target: ChatTarget = {
      kind: 'chat',
      chatId: c.platform_chat_id,
      chatKind: c.kind,
      ...(c.connection_id ? { connectionId: c.connection_id } : {}),
    };
    if (adapter.writesIn?.(target) === false) continue;
    if (!ONE_TO_ONE.includes(c.kind) && !(await soleCustomerOf(deps, c.id, customerId))) continue;
    const window = adapter.replyWindow?.({
      platform: c.platform,
      workspace: c.workspace,
      target,
      content: { text: '' },
      idempotencyKey: '',
    });
    const state = window ? await windowState(db, c.id, window, now) : 'open';
    if (state !== 'open') {
      closed ??= state;
      continue;
    }
    return { platform: c.platform, workspace: c.workspace, chatId: c.id, chatKind: c.kind, target };
  }
  if (closed) return closed;
  const contact = await db
    .selectFrom('contact_relations')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('status', '=', 'active')
    .limit(1)
    .executeTakeFirst();
  return contact ? 'contact_only' : blocked ? 'unreachable' : 'no_channel';
}

/** Whether this customer is the only customer who writes in a group chat (a message there reaches only them). */
async function soleCustomerOf(deps: CoreDeps, chatId: number, customerId: number): Promise<boolean> {
  const other = await deps.db
    .selectFrom('messages')
    .select('id')
    .where('chat_id', '=', chatId)
    .where('direction', '=', 'in')
    .where('customer_id', 'is not', null)
    .where('customer_id', '<>', customerId)
    .limit(1)
    .executeTakeFirst();
  return other === undefined;
}
