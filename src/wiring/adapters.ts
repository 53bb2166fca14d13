import { createFeishuAdapter } from '../../adapters/feishu/index.ts';
import { createTelegramAdapter } from '../../adapters/telegram/index.ts';
import { createWecomAdapter } from '../../adapters/wecom/index.ts';
import type { Config } from '../config.ts';
import type { PlatformAdapter } from '../core/adapter.ts';
import type { Clock } from '../core/runtime.ts';

/** The adapters whose credentials are configured, by platform name (the webhook path segment). */
export function buildAdapters(config: Config, clock: Clock): Map<string, PlatformAdapter> {
  const adapters = new Map<string, PlatformAdapter>();
  if (config.telegram) adapters.set('telegram', createTelegramAdapter(config.telegram));
  if (config.wecom) adapters.set('wecom', createWecomAdapter(config.wecom, clock));
  if (config.feishu) adapters.set('feishu', createFeishuAdapter(config.feishu, clock));
  return adapters;
}
