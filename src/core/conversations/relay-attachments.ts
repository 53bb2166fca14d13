import type { CoreDeps } from '../kernel/runtime.ts';
import type { OutboundMessage } from '../ports/outbound.ts';

/** What is copied: media; never contact cards or locations, which would show a rep contact data whole. */
const COPIED: readonly string[] = ['image', 'file', 'audio', 'video', 'sticker'];

/** The media a relay names, sent along as copies where the staff member reads through the same bot. */
export function attachmentCopies(
  deps: CoreDeps,
  relay: OutboundMessage | undefined,
  rows: Array<{
    relay_id: number;
    customer_id: number;
    platform: string;
    workspace: string;
    content_type: string;
    text: string | null;
    platform_chat_id: string;
    platform_message_id: string | null;
  }>,
  key: string,
): OutboundMessage[] {
  if (!relay || !deps.adapters.get(relay.platform)?.copiesTo?.(relay.target)) return [];
  return rows.flatMap((r) =>
    COPIED.includes(r.content_type) &&
    r.platform === relay.platform &&
    r.workspace === relay.workspace &&
    r.platform_message_id
      ? [
          {
            ...relay,
            content: {
              text: `[${r.content_type}]`,
              // The caption was in the relay's text, masked for a rep; the copy goes without it.
              copyOf: {
                chatId: r.platform_chat_id,
                messageId: r.platform_message_id,
                ...(r.text?.trim() ? { dropCaption: true } : {}),
              },
            },
            idempotencyKey: `${key}:copy:${r.relay_id}`,
            customerId: r.customer_id,
          },
        ]
      : [],
  );
}
