import { Telegram } from 'telegraf';
import type { PlatformAdapter } from '../../src/core/ports/adapter.ts';
import { secretMatcher } from '../../src/lib/safe-equal.ts';
import { performTelegram } from './actions.ts';
import { telegramDeepLinks } from './channels.ts';
import { telegramConnections } from './connections.ts';
import { decodeTelegram, PEOPLE_WORKSPACE } from './decode.ts';
import { telegramMedia } from './media.ts';
import {
  noticeBlocked,
  sendTelegram,
  telegramCopiesTo,
  telegramRateLimits,
  telegramReplyWindow,
} from './send.ts';
import { telegramSignIn } from './sign-in.ts';
import { telegramTopics } from './topics.ts';
import { ALLOWED_UPDATES, type TelegramConfig, type TgBotInfo } from './types.ts';
import { verifyTelegram } from './verify.ts';

export type { TelegramConfig } from './types.ts';

const CALL_TIMEOUT_MS = 10_000;

/** The web app's Mini App: the bot's menu button opens it (an https address; Telegram takes no other). */
export interface TelegramMiniApp {
  url: string;
  /** The menu button's words. */
  label: string;
}

export function createTelegramAdapter(config: TelegramConfig, miniApp?: TelegramMiniApp): PlatformAdapter {
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
    send: async (message, signal) => noticeBlocked(await sendTelegram(telegram, message, signal), message),
    rateLimits: telegramRateLimits,
    replyWindow: telegramReplyWindow,
    copiesTo: telegramCopiesTo,
    sendsImagesTo: (target) => target.kind === 'chat',
    topics: telegramTopics(call),
    perform: (action, signal) => {
      const within = { signal: signal ?? AbortSignal.timeout(CALL_TIMEOUT_MS) };
      return performTelegram((method, payload) => callApi(method, payload, within), action);
    },
    lookupConnection: telegramConnections(call, bot),
    media: telegramMedia(call, apiRoot, config.botToken),
    channels: telegramDeepLinks(bot, learnUsername),
    signIn: telegramSignIn(config.botToken),
    async start() {
      await learnUsername();
      // Set at each start, so a changed PUBLIC_URL reaches the button; chats without their own button show it.
      if (miniApp?.url.startsWith('https://'))
        await call('setChatMenuButton', {
          menu_button: { type: 'web_app', text: miniApp.label, web_app: { url: miniApp.url } },
        });
    },
    async registerWebhook(url) {
      await call('setWebhook', { url, secret_token: config.webhookSecret, allowed_updates: ALLOWED_UPDATES });
    },
  };
}
