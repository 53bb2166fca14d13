import type { ChatTopics } from '../../src/core/ports/adapter.ts';
import type { PlatformAction, SendResult } from '../../src/core/ports/outbound.ts';
import { describeFailure } from './send.ts';

type Call = (method: string, payload: object) => Promise<unknown>;

/** Telegram's limit on a topic's name (1–128 characters). */
const MAX_TOPIC_NAME = 128;
/** A group's forum setting is asked again after this long (an admin may turn topics on or off). */
const FORUM_KNOWN_FOR_MS = 10 * 60_000;

/** Forum supergroups: `getChat` says whether topics are on, remembered for a while per chat. */
export function telegramTopics(call: Call, now: () => number = Date.now): ChatTopics {
  const known = new Map<string, { forum: boolean; at: number }>();
  return {
    async enabled(chatId) {
      const seen = known.get(chatId);
      if (seen && now() - seen.at < FORUM_KNOWN_FOR_MS) return seen.forum;
      const chat = (await call('getChat', { chat_id: chatId })) as { is_forum?: boolean };
      const forum = chat?.is_forum === true;
      known.set(chatId, { forum, at: now() });
      return forum;
    },
  };
}

/** `createForumTopic`: the topic's `message_thread_id` comes back as the result's platform id. */
export async function createTelegramTopic(
  call: Call,
  action: Extract<PlatformAction, { type: 'create_topic' }>,
): Promise<SendResult> {
  try {
    const topic = (await call('createForumTopic', {
      chat_id: action.chatId,
      name: topicName(action.name),
    })) as { message_thread_id?: number };
    if (typeof topic?.message_thread_id !== 'number')
      return { ok: false, retryable: false, error: 'createForumTopic answered without a message_thread_id' };
    return { ok: true, platformMessageId: String(topic.message_thread_id) };
  } catch (error) {
    return describeFailure(error);
  }
}

/**
 * A name Telegram takes: plain text (no markup is parsed in topic names), on one line, at most 128 UTF-16 units
 * without splitting a character, never empty.
 */
export function topicName(name: string): string {
  const oneLine = name.replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ').trim();
  let out = '';
  for (const char of oneLine) {
    if (out.length + char.length > MAX_TOPIC_NAME) break;
    out += char;
  }
  return out.trim() || '?';
}
