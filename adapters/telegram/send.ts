import { type Telegram, TelegramError } from 'telegraf';
import type { OutboundMessage, SendResult } from '../../src/core/outbound.ts';
import { splitText } from '../../src/lib/split-text.ts';

const MAX_TEXT = 4096;

type CallApi = (method: string, payload: object, options?: { signal?: AbortSignal }) => Promise<unknown>;

/**
 * Sends plain text (no parse_mode, so customer names need no escaping), split at Telegram's 4096-character limit.
 * When a later part fails, the result carries the unsent remainder so a retry does not repeat the parts delivered.
 */
export async function sendTelegram(
  telegram: Telegram,
  message: OutboundMessage,
  signal?: AbortSignal,
): Promise<SendResult> {
  const call = telegram.callApi.bind(telegram) as unknown as CallApi;
  const { target } = message;
  if (target.kind !== 'chat')
    return { ok: false, retryable: false, error: `Telegram has no ${target.kind} targets` };
  const parts = splitText(message.content.text, MAX_TEXT);
  let lastId: string | undefined;
  for (const [index, text] of parts.entries()) {
    try {
      const sent = (await call(
        'sendMessage',
        {
          chat_id: target.chatId,
          text,
          link_preview_options: { is_disabled: true },
          ...(target.connectionId ? { business_connection_id: target.connectionId } : {}),
          ...(target.replyToMessageId && index === 0
            ? {
                reply_parameters: {
                  message_id: Number(target.replyToMessageId),
                  allow_sending_without_reply: true,
                },
              }
            : {}),
        },
        signal ? { signal } : {},
      )) as { message_id?: number };
      if (sent?.message_id !== undefined) lastId = String(sent.message_id);
    } catch (error) {
      const failure = describeFailure(error);
      return index === 0 ? failure : { ...failure, remaining: { text: parts.slice(index).join('\n') } };
    }
  }
  return { ok: true, ...(lastId ? { platformMessageId: lastId } : {}) };
}

function describeFailure(error: unknown): Extract<SendResult, { ok: false }> {
  if (error instanceof TelegramError) {
    const code = error.code;
    if (code === 429) {
      const seconds = Number(error.parameters?.retry_after ?? 1);
      return { ok: false, retryable: true, retryAfterMs: seconds * 1000, error: `429 ${error.description}` };
    }
    return { ok: false, retryable: code >= 500, error: `${code} ${error.description}` };
  }
  // Network failures, timeouts, unreadable answers: the platform may recover.
  return { ok: false, retryable: true, error: error instanceof Error ? error.message : String(error) };
}
