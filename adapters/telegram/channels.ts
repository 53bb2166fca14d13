import type { ChannelLinks } from '../../src/core/ports/adapter.ts';
import type { TgBotInfo } from './types.ts';

/** Telegram's payload limit for `/start` deep links (characters of A-Z a-z 0-9 _ -). */
const MAX_PAYLOAD = 64;

/**
 * Deep links `https://t.me/<bot>?start=<code>`: opening one and pressing Start sends `/start <code>` to the bot.
 * The bot's username comes from getMe (learnt in `start()`, asked again here when that had failed).
 */
export function telegramDeepLinks(bot: TgBotInfo, learnUsername: () => Promise<void>): ChannelLinks {
  return {
    by: 'link',
    maxCodeLength: MAX_PAYLOAD,
    async create(code) {
      if (!/^[A-Za-z0-9_-]+$/.test(code) || code.length > MAX_PAYLOAD)
        throw new Error(`a deep-link payload is 1–${MAX_PAYLOAD} characters of A-Z a-z 0-9 _ -`);
      if (!bot.username) await learnUsername();
      if (!bot.username) throw new Error('the bot has no username (getMe), so it has no t.me link');
      return { link: `https://t.me/${bot.username}?start=${code}` };
    },
  };
}
