import { findChat } from './conversations/chats.ts';
import { recordConnection } from './conversations/connections.ts';
import { handleMessage } from './conversations/ingest.ts';
import { markMessagesDeleted } from './conversations/messages.ts';
import type { InboundEvent } from './events.ts';
import type { OutboundMessage } from './outbound.ts';
import type { CoreDeps } from './runtime.ts';

/**
 * The core's single entry for platform events. Idempotent: processing the same event again (after a crash or a
 * redelivery) changes nothing and returns the same sends, with the same idempotency keys (`${key}:reply`…).
 */
export async function handleEvent(
  deps: CoreDeps,
  event: InboundEvent,
  key: string,
): Promise<OutboundMessage[]> {
  switch (event.kind) {
    case 'message':
      return handleMessage(deps, event, `${key}:reply`);
    case 'messages_deleted': {
      const chat = await findChat(deps.db, event.platform, event.workspace, event.chat.key);
      if (chat) await markMessagesDeleted(deps.db, chat.id, event.messageIds, event.occurredAt);
      return [];
    }
    case 'connection':
      await recordConnection(deps, event);
      return [];
  }
}
