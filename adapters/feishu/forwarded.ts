import type { Client } from '@larksuiteoapi/node-sdk';
import type { ForwardedItem, MessageContent, MessageEvent } from '../../src/core/ports/events.ts';
import type { FeishuCall } from './api.ts';
import { type FeishuMention, type MentionWords, readBody } from './content.ts';

/** One question, answered within this or not at all: the inbox must not wait on Feishu. */
const TIMEOUT_MS = 10_000;
/** Messages kept of one bundle; a reader sees the first ten and a count of the rest. */
const MAX_ITEMS = 200;

interface MessageItem {
  message_id?: string;
  msg_type?: string;
  create_time?: string;
  upper_message_id?: string;
  sender?: { sender_name?: string };
  body?: { content?: string };
  mentions?: FeishuMention[];
}

/**
 * The messages of a merge_forward bundle, which its event leaves out, read once with `GET im/v1/messages/{id}`: the
 * first item is the bundle, each of its messages names it in `upper_message_id`. Undefined when the message is no
 * bundle or Feishu does not answer (the bundle is then kept as the event had it); never throws.
 */
export function feishuForwarded(client: Client, call: FeishuCall, self: MentionWords) {
  return async function completeContent(event: MessageEvent): Promise<MessageContent | undefined> {
    if (event.content?.kind !== 'forwarded') return undefined;
    try {
      const answer = await call(() =>
        client.request<{ code?: number; msg?: string; data?: { items?: MessageItem[] } }>({
          method: 'GET',
          url: `/open-apis/im/v1/messages/${encodeURIComponent(event.messageId)}`,
          // Sender names come with the items; cards come as their own JSON (title and words readable).
          params: {
            user_id_type: 'open_id',
            with_sender_name: true,
            card_msg_content_type: 'raw_card_content',
          },
          timeout: TIMEOUT_MS,
        }),
      );
      const children = (answer.data?.items ?? []).filter((i) => i.upper_message_id === event.messageId);
      return { kind: 'forwarded', items: children.slice(0, MAX_ITEMS).map((i) => forwardedItem(i, self)) };
    } catch {
      return undefined;
    }
  };
}

function forwardedItem(item: MessageItem, self: MentionWords): ForwardedItem {
  const body = readBody(item.msg_type ?? '', item.body?.content ?? '', item.mentions ?? [], self);
  const at = Number(item.create_time);
  return {
    text: body.text,
    ...(item.sender?.sender_name ? { from: item.sender.sender_name } : {}),
    ...(Number.isFinite(at) && at > 0 ? { at } : {}),
    ...(body.content ? { content: body.content } : {}),
  };
}
