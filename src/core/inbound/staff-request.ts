import type { StaffRequest } from '../chat/commands/command.ts';
import { replyTarget } from '../conversations/reply-target.ts';
import type { MessageEvent } from '../ports/events.ts';
import type { OutboundContent, OutboundMessage } from '../ports/outbound.ts';
import type { KnownStaff } from '../records/staff/registry.ts';

/**
 * A staff member's message as a request to the bot: where it was written, and when it answers a customer (a platform
 * reply to a relay, a message in the customer's topic), that customer and the media it carries, sent on as it is.
 */
export function staffRequestOf(
  staff: KnownStaff,
  ev: MessageEvent,
  r: { text: string; key: string; answering: number | null; staffOnly?: boolean },
): StaffRequest {
  const plain = !/^[/／]/.test(r.text.trim());
  return {
    staff,
    chat: {
      platform: ev.platform,
      workspace: ev.workspace,
      kind: ev.chat.kind,
      platformChatId: ev.chat.platformChatId,
      key: ev.chat.key,
      ...(ev.chat.title ? { title: ev.chat.title } : {}),
      ...(r.staffOnly ? { staffOnly: true } : {}),
    },
    text: r.text,
    key: r.key,
    ...(r.answering !== null ? { replyingTo: r.answering } : {}),
    ...(r.answering !== null && plain && ev.contentType !== 'text'
      ? { attachment: { chatId: ev.chat.platformChatId, messageId: ev.messageId, kind: ev.contentType } }
      : {}),
  };
}

/** The bot's answer to a staff member's message, in the chat (and thread) they wrote in. */
export const answerTo = (ev: MessageEvent, content: OutboundContent, key: string): OutboundMessage => ({
  platform: ev.platform,
  workspace: ev.workspace,
  target: replyTarget(ev),
  content,
  idempotencyKey: key,
});
