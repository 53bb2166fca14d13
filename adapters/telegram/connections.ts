import { TelegramError } from 'telegraf';
import type { ConnectionEvent } from '../../src/core/ports/events.ts';
import { decodeTelegram } from './decode.ts';
import type { TgBotInfo, TgBusinessConnection } from './types.ts';

type Call = (method: string, payload: object) => Promise<unknown>;

/**
 * A Telegram Business connection the core has not seen announced: `getBusinessConnection`, read as the
 * `business_connection` update would be. Null when Telegram says there is no such connection (a 4xx other than 429);
 * anything else throws, and the caller asks again later.
 */
export function telegramConnections(call: Call, bot: TgBotInfo, now: () => number = Date.now) {
  return async function lookupConnection(connectionId: string): Promise<ConnectionEvent | null> {
    try {
      const connection = (await call('getBusinessConnection', {
        business_connection_id: connectionId,
      })) as TgBusinessConnection;
      const update = JSON.stringify({ update_id: 0, business_connection: connection });
      return (decodeTelegram(update, now(), bot)[0] as ConnectionEvent | undefined) ?? null;
    } catch (error) {
      if (error instanceof TelegramError && error.code >= 400 && error.code < 500 && error.code !== 429)
        return null;
      throw error;
    }
  };
}
