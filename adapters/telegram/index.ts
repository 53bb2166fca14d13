import { Telegram, TelegramError } from 'telegraf';
import type { PlatformAdapter } from '../../src/core/adapter.ts';
import type { ConnectionEvent } from '../../src/core/events.ts';
import { secretMatcher } from '../../src/lib/safe-equal.ts';
import { telegramDeepLinks } from './channels.ts';
import { decodeTelegram, PEOPLE_WORKSPACE } from './decode.ts';
import { sendTelegram, telegramCopiesTo, telegramRateLimits, telegramReplyWindow } from './send.ts';
import { createTelegramTopic, telegramTopics } from './topics.ts';
import { ALLOWED_UPDATES, type TgBotInfo, type TgBusinessConnection } from './types.ts';
import { verifyTelegram } from './verify.ts';

export interface TelegramConfig {
  botToken: string;
  webhookSecret: string;
  /** Bot API root, e.g. https://api.telegram.org or a local Bot API server / test fake. */
  apiRoot: string;
}

const CALL_TIMEOUT_MS = 10_000;

export function createTelegramAdapter(config: TelegramConfig): PlatformAdapter {
  const bot: TgBotInfo = { id: config.botToken.split(':')[0] ?? '', username: null };
  // telegraf resolves method URLs relative to apiRoot: without a trailing slash a path prefix would be dropped.
  const apiRoot = config.apiRoot.endsWith('/') ? config.apiRoot : `${config.apiRoot}/`;
  const telegram = new Telegram(config.botToken, { apiRoot });
  const secretMatches = secretMatcher(config.webhookSecret);
  const callApi = telegram.callApi.bind(telegram) as unknown as (
    method: string,
    payload: object,
    options: { signal: AbortSignal },
  ) => Promise<unknown>;
  // Calls made outside the outbox (which sets its own timeout) never wait longer than this.
  const call = (method: string, payload: object) =>
    callApi(method, payload, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const learnUsername = async () => {
    const me = (await call('getMe', {})) as { username?: string };
    bot.username = me.username ?? null;
  };

  return {
    platform: 'telegram',
    workspace: bot.id,
    peopleWorkspace: PEOPLE_WORKSPACE,
    verify: (request) => verifyTelegram(request, secretMatches),
    decode: (payload, receivedAt) => decodeTelegram(payload, receivedAt, bot),
    send: (message, signal) => sendTelegram(telegram, message, signal),
    rateLimits: telegramRateLimits,
    replyWindow: telegramReplyWindow,
    copiesTo: telegramCopiesTo,
    sendsImagesTo: (target) => target.kind === 'chat',
    topics: telegramTopics(call),

    async perform(action, signal) {
      const within = { signal: signal ?? AbortSignal.timeout(CALL_TIMEOUT_MS) };
      if (action.type === 'create_topic')
        return createTelegramTopic((method, payload) => callApi(method, payload, within), action);
      return { ok: false, retryable: false, error: `Telegram cannot ${action.type}` };
    },

    async lookupConnection(connectionId) {
      try {
        const connection = (await call('getBusinessConnection', {
          business_connection_id: connectionId,
        })) as TgBusinessConnection;
        const update = JSON.stringify({ update_id: 0, business_connection: connection });
        return (decodeTelegram(update, Date.now(), bot)[0] as ConnectionEvent | undefined) ?? null;
      } catch (error) {
        if (error instanceof TelegramError && error.code >= 400 && error.code < 500 && error.code !== 429)
          return null;
        throw error;
      }
    },

    channels: telegramDeepLinks(bot, learnUsername),

    start: learnUsername,

    async registerWebhook(url) {
      await call('setWebhook', { url, secret_token: config.webhookSecret, allowed_updates: ALLOWED_UPDATES });
    },
  };
}
