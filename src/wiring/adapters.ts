import { createTelegramAdapter } from '../../adapters/telegram/index.ts';
import type { Config } from '../config.ts';
import type { PlatformAdapter } from '../core/adapter.ts';

/** The adapters whose credentials are configured, by platform name (the webhook path segment). */
export function buildAdapters(config: Config): Map<string, PlatformAdapter> {
  const adapters = new Map<string, PlatformAdapter>();
  if (config.telegram) adapters.set('telegram', createTelegramAdapter(config.telegram));
  return adapters;
}
