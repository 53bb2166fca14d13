import { languageOf } from '../kernel/i18n/index.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import { withinBusinessHours } from '../kernel/time/business-hours.ts';
import type { MessageEvent } from '../ports/events.ts';
import type { OutboundMessage } from '../ports/outbound.ts';
import { mayContact } from '../records/privacy/do-not-contact.ts';
import { replyTarget } from './reply-target.ts';

/**
 * The acknowledgement a customer gets when they write, as the admin configured it (e.g. outside business hours):
 * fixed text only, never CRM data. At most one per customer within the quiet spell; processing a delivery again
 * yields the same send (same key), which the outbox keeps once.
 */
export async function acknowledgement(
  deps: CoreDeps,
  ev: MessageEvent,
  customer: { customerId: number; chatId: number },
  key: string,
): Promise<OutboundMessage[]> {
  const auto = deps.org.autoReply;
  if (!auto || ev.editedAt !== undefined) return [];
  if (ev.chat.kind !== 'private' && ev.chat.kind !== 'service') return [];
  if (!(await mayContact(deps.db, customer.customerId))) return [];
  const hours = deps.org.businessHours;
  if (auto.outsideHoursOnly && hours && withinBusinessHours(ev.occurredAt, hours, deps.org.timeZone))
    return [];
  const ackKey = `${key}:ack`;
  // One acknowledgement per quiet spell: an earlier one still in the outbox window means this customer was answered.
  const earlier = await deps.db
    .selectFrom('outbox')
    .select('id')
    .where('customer_id', '=', customer.customerId)
    .where('idempotency_key', 'like', '%:ack')
    .where('idempotency_key', '!=', ackKey)
    .where('created_at', '>=', deps.clock.now() - auto.quietMs)
    .limit(1)
    .executeTakeFirst();
  if (earlier) return [];
  return [
    {
      platform: ev.platform,
      workspace: ev.workspace,
      target: replyTarget(ev),
      content: { text: auto.text[languageOf(ev.sender.language)] },
      idempotencyKey: ackKey,
      customerId: customer.customerId,
      chatId: customer.chatId,
    },
  ];
}
