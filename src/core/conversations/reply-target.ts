import type { MessageEvent } from '../ports/events.ts';
import type { ChatTarget } from '../ports/outbound.ts';

/**
 * Where an answer to a message goes: the same chat (through the same brand account where the platform has them) and
 * topic, quoting the message in groups so the answer is found in a busy chat.
 */
export function replyTarget(ev: MessageEvent): ChatTarget {
  return {
    kind: 'chat',
    chatId: ev.chat.platformChatId,
    chatKind: ev.chat.kind,
    ...(ev.chat.connectionId ? { connectionId: ev.chat.connectionId } : {}),
    ...(ev.threadId !== undefined ? { threadId: ev.threadId } : {}),
    ...(ev.chat.kind === 'group' || ev.chat.kind === 'external_group'
      ? { replyToMessageId: ev.messageId }
      : {}),
  };
}
