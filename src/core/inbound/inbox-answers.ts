import { runStaffCommand } from '../chat/staff-messages.ts';
import { customerOfTopic } from '../conversations/inbox-topics.ts';
import { customerOfRelay } from '../conversations/relay.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { MessageEvent } from '../ports/events.ts';
import { isAction, type OutboxItem } from '../ports/outbound.ts';
import type { KnownStaff } from '../records/staff/registry.ts';
import { answerTo, staffRequestOf } from './staff-request.ts';

/**
 * A staff member's message in the inbox chat. In a customer's topic, whatever they write goes to that customer, and
 * so does a platform reply to a relay; both run as `/reply` under the writer's own permissions (someone who cannot
 * reach the customer is told why, where they wrote). Commands to the bot run as anywhere else, `/reply` included:
 * the admin declared the group staff-only. Other talk among staff stays theirs.
 */
export async function answerInInbox(
  deps: CoreDeps,
  staff: KnownStaff,
  ev: MessageEvent,
  replyKey: string,
): Promise<OutboxItem[]> {
  if (ev.editedAt !== undefined) return []; // an edit is not a second message to the customer
  const customerId = await inboxCustomer(deps, ev);
  const text = ev.botCommandText ?? (customerId !== null ? ev.text : undefined);
  if (text === undefined) return [];
  const plain = !text.trim().startsWith('/') && !text.trim().startsWith('／');
  const outcome = await runStaffCommand(
    deps,
    staffRequestOf(staff, ev, { text, key: replyKey, answering: customerId, staffOnly: true }),
  );
  // In the customer's topic the message itself shows what went: the bot speaks only when it did not go.
  const sent =
    ev.threadId !== undefined &&
    customerId !== null &&
    plain &&
    outcome.queued.some((item) => !isAction(item) && item.customerId === customerId);
  return [...(sent ? [] : [answerTo(ev, outcome.reply, replyKey)]), ...outcome.queued];
}

/** The customer a message in the inbox chat answers: the one whose topic it is in, or whose relay it replies to. */
async function inboxCustomer(deps: CoreDeps, ev: MessageEvent): Promise<number | null> {
  return (await customerOfTopic(deps, ev)) ?? (await customerOfRelay(deps, ev));
}

/** Someone not staff wrote in the inbox chat: never a customer (the group is staff-only), never answered. */
export function ignoredInInbox(deps: CoreDeps, ev: MessageEvent): OutboxItem[] {
  deps.logger.info(
    { platform: ev.platform, chat: ev.chat.key },
    'message from a non-staff member of the inbox chat ignored',
  );
  return [];
}
