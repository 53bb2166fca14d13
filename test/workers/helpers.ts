import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/entry/worker.ts';
import type { WorkerEnv } from '../../src/worker/boot.ts';
import telegramConfig from '../fixtures/telegram/config.json';

// The same values vitest.workers.config.ts binds (that file runs in Node; these tests run in workerd).
export const API_TOKEN = 'worker-test-api-token-0123456789';
export const TELEGRAM_SECRET = telegramConfig.webhookSecret;
export const WECOM = {
  corpId: 'wx5823bf96d3bd56c7',
  token: 'QDG6eK',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

/** Calls the Worker's fetch as the runtime would, and waits for what it left running after the answer. */
export async function call(
  path: string,
  init: RequestInit = {},
  bindings: WorkerEnv = env,
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://liaison.test${path}`, init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Runs the cron trigger, and everything it left running. */
export async function cron(bindings: WorkerEnv = env): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled({ cron: '* * * * *', scheduledTime: Date.now() }, bindings, ctx);
  await waitOnExecutionContext(ctx);
}

export const api = (path: string) =>
  call(`/api${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });

/** A Telegram customer's text message, as the webhook's request. */
export function telegramBody(updateId: number, chatId: number, text: string): RequestInit {
  const from = { id: chatId, is_bot: false, first_name: `客户${chatId}`, language_code: 'zh-hans' };
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
    body: JSON.stringify({
      update_id: updateId,
      message: {
        message_id: updateId,
        from,
        chat: { id: chatId, first_name: from.first_name, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text,
      },
    }),
  };
}

export const telegramUpdate = (updateId: number, chatId: number, text: string) =>
  call('/webhooks/telegram', telegramBody(updateId, chatId, text));
