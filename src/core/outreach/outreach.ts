import type { MassSendContent, OutboundMessage } from '../outbound.ts';
import { mayContact } from '../privacy/do-not-contact.ts';
import type { CoreDeps } from '../runtime.ts';
import { findOutreachRoute, type NoRoute, type OutreachRoute } from './route.ts';

export type { OutreachRoute } from './route.ts';

/** Why a marketing message does not go to a customer. */
export type OutreachSkip = 'do_not_contact' | 'frequency_cap' | NoRoute;

export type OutreachDecision = { ok: true; route: OutreachRoute } | { ok: false; reason: OutreachSkip };

/**
 * Whether a marketing message (campaign, SOP step) may go to a customer now, and how. Do-not-contact and the
 * frequency cap (`OUTREACH_FREQUENCY_CAP`) always win; `key` is this outreach's own key, which the cap does not
 * count, so retrying an outreach that was recorded but not yet queued is not blocked by itself.
 */
export async function decideOutreach(
  deps: CoreDeps,
  customerId: number,
  key: string,
  now: number,
): Promise<OutreachDecision> {
  if (!(await mayContact(deps.db, customerId))) return { ok: false, reason: 'do_not_contact' };
  const { limit, windowMs } = deps.org.outreachCap;
  const recent = await deps.db
    .selectFrom('customer_outreach')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('at', '>', now - windowMs)
    .where('outreach_key', '<>', key)
    .executeTakeFirst();
  if (Number(recent?.n ?? 0) >= limit) return { ok: false, reason: 'frequency_cap' };
  const route = await findOutreachRoute(deps, customerId, now);
  return typeof route === 'string' ? { ok: false, reason: route } : { ok: true, route };
}

/** Counts an outreach against the customer's cap, once per key (record it before queueing the send). */
export async function recordOutreach(
  deps: CoreDeps,
  r: { customerId: number; kind: 'campaign' | 'sop'; ref: string; key: string; at: number },
): Promise<void> {
  await deps.db
    .insertInto('customer_outreach')
    .values({ customer_id: r.customerId, kind: r.kind, ref: r.ref, outreach_key: r.key, at: r.at })
    .onConflict((oc) => oc.column('outreach_key').doNothing())
    .execute();
}

/** The text a platform without link cards shows: the message, then the link's title and address. */
export function outreachText(content: MassSendContent): string {
  return content.link ? `${content.text}\n\n${content.link.title} ${content.link.url}` : content.text;
}

/** The outbox message for a chat route, on the customer's timeline once the platform confirms it. */
export function outreachMessage(
  route: Extract<OutreachRoute, { kind: 'chat' }>,
  content: MassSendContent,
  idempotencyKey: string,
  customerId: number,
): OutboundMessage {
  return {
    platform: route.platform,
    workspace: route.workspace,
    idempotencyKey,
    target: {
      kind: 'chat',
      chatId: route.platformChatId,
      chatKind: route.chatKind,
      ...(route.connectionId ? { connectionId: route.connectionId } : {}),
    },
    content: { text: outreachText(content), ...(content.image ? { image: content.image } : {}) },
    customerId,
    chatId: route.chatId,
  };
}
