import { audit } from '../kernel/audit.ts';
import { auditedAs } from '../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../kernel/permissions/reach.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { OutboundMessage } from '../ports/outbound.ts';
import { expandQuickReply } from '../records/quick-replies/expand.ts';
import { type NoReplyRoute, type ReplyRoute, replyRoute } from './reply-route.ts';

/** A reply is at most this many characters (adapters split longer text at the platform's limit; this bounds it). */
export const MAX_REPLY_CHARS = 4000;

export type ReplyOutcome =
  /** Queued: the outbox sends it once per `key` and puts it on the timeline as the staff member's. */
  | { ok: true; message: OutboundMessage; route: ReplyRoute }
  /**
   * `key_reused`: this request key already sent a different text; `attachment_elsewhere`: see `ReplyAttachment`;
   * `unknown_quick_reply`: the text is `:key` and the sender has no quick reply of that key (nothing is sent).
   */
  | {
      ok: false;
      reason:
        | NoReplyRoute
        | 'empty'
        | 'too_long'
        | 'key_reused'
        | 'attachment_elsewhere'
        | 'unknown_quick_reply';
    };

/**
 * Media the staff member sent with the reply, in their own chat with the bot: copied to the customer as it is, which
 * only the same bot can do (`copiesTo`), so only where the customer writes through that same installation.
 */
export interface ReplyAttachment {
  platform: string;
  workspace: string;
  chatId: string;
  messageId: string;
  kind: string;
}

/**
 * A staff member's (or an integration's) answer to a customer they reach, sent where the customer last wrote within
 * the platform's window. Returned as the message to queue, keyed by the request so a retried request sends once;
 * audited without its text (customer conversation is not audit data).
 */
export async function replyToCustomer(
  deps: CoreDeps,
  r: { customer: ReachedCustomer; text: string; attachment?: ReplyAttachment; image?: { base64: string } },
  key: string,
): Promise<ReplyOutcome> {
  const { attachment, image } = r;
  // `:price` sends the quick reply (话术) the sender has under that key. Expanded before the retry check, so a retry
  // matches the text the first attempt sent (should the quick reply change in between, it is refused as key_reused).
  const quick = await expandQuickReply(deps.db, r.customer, r.text);
  if (!quick.ok) return { ok: false, reason: 'unknown_quick_reply' };
  const text = quick.text.trim();
  // A picture without a caption is a reply too.
  if (!text && !attachment && !image) return { ok: false, reason: 'empty' };
  if ([...text].length > MAX_REPLY_CHARS) return { ok: false, reason: 'too_long' };
  const { id: customerId, actor } = r.customer;
  const now = deps.clock.now();
  const earlier = await deps.db
    .selectFrom('outbox')
    .select(['content', 'customer_id'])
    .where('idempotency_key', '=', `${key}:reply`)
    .executeTakeFirst();
  const repeated = earlier !== undefined;
  if (
    earlier &&
    (earlier.customer_id !== customerId || (JSON.parse(earlier.content) as { text?: string }).text !== text)
  )
    return { ok: false, reason: 'key_reused' };
  const route = await replyRoute(deps, customerId, now);
  if (typeof route === 'string') return { ok: false, reason: route };
  const copies =
    attachment &&
    route.platform === attachment.platform &&
    route.workspace === attachment.workspace &&
    deps.adapters.get(route.platform)?.copiesTo?.(route.target);
  if (attachment && !copies) return { ok: false, reason: 'attachment_elsewhere' };
  if (image && !deps.adapters.get(route.platform)?.sendsImagesTo?.(route.target))
    return { ok: false, reason: 'attachment_elsewhere' };
  const owner = await deps.db
    .selectFrom('customers')
    .select('owner_staff_id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  const reportTo = actor.staffId ?? owner?.owner_staff_id ?? null;
  const message: OutboundMessage = {
    platform: route.platform,
    workspace: route.workspace,
    target: route.target,
    content: {
      text,
      ...(attachment
        ? { copyOf: { chatId: attachment.chatId, messageId: attachment.messageId, kind: attachment.kind } }
        : {}),
      ...(image ? { image } : {}),
    },
    idempotencyKey: `${key}:reply`,
    customerId,
    chatId: route.chatId,
    ...(reportTo !== null ? { reportTo } : {}),
    ...(actor.staffId !== null ? { authorStaffId: actor.staffId } : {}),
  };
  // A retried request queues the same message again (the outbox keeps it once) and is not audited twice.
  if (repeated) return { ok: true, message, route };
  await audit(deps.db, now, {
    ...auditedAs(actor),
    action: 'customer.replied',
    subjectKind: 'customer',
    subjectId: customerId,
    detail: { platform: route.platform, chat: route.chatId, key: message.idempotencyKey },
  });
  return { ok: true, message, route };
}
