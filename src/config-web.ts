// The web app's settings from the environment: how long a session lasts, how old a Mini App's initData may be.

import { wholeNumber } from './config-values.ts';

/** What the web app beside the chat needs; it is on exactly when PUBLIC_URL says where it is served. */
export interface WebAppSettings {
  /** How long a session lasts from sign-in (WEB_SESSION_TTL, hours); it does not slide. */
  sessionTtlMs: number;
  /** How old a Telegram Mini App's `initData` may be when it signs in (TELEGRAM_INIT_DATA_MAX_AGE, seconds). */
  proofMaxAgeMs: number;
  /** The largest file the console's import takes (IMPORT_MAX_MB); absent: `DEFAULT_IMPORT_MAX_MB`. */
  importMaxBytes?: number;
}

/** The console's import takes files up to this many megabytes unless IMPORT_MAX_MB says otherwise. */
export const DEFAULT_IMPORT_MAX_MB = 5;

/**
 * WEB_SESSION_TTL (hours, default 12), TELEGRAM_INIT_DATA_MAX_AGE (seconds, default 86400) and IMPORT_MAX_MB
 * (megabytes, 1–50); problems by name.
 */
export function parseWebAppSettings(
  env: Record<string, string | undefined>,
  problems: string[],
): WebAppSettings {
  return {
    sessionTtlMs: wholeNumber('WEB_SESSION_TTL', env.WEB_SESSION_TTL, 12, 1, 24 * 30, problems) * 3_600_000,
    proofMaxAgeMs:
      wholeNumber(
        'TELEGRAM_INIT_DATA_MAX_AGE',
        env.TELEGRAM_INIT_DATA_MAX_AGE,
        86_400,
        60,
        86_400 * 7,
        problems,
      ) * 1000,
    ...(env.IMPORT_MAX_MB?.trim()
      ? {
          importMaxBytes:
            wholeNumber('IMPORT_MAX_MB', env.IMPORT_MAX_MB, DEFAULT_IMPORT_MAX_MB, 1, 50, problems) *
            1_048_576,
        }
      : {}),
  };
}
