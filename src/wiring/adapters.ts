import type { HostResolver } from '../../adapters/robot-urls.ts';
import { createTelegramAdapter } from '../../adapters/telegram/index.ts';
import { createWebAdapter, type WebConfig } from '../../adapters/web/index.ts';
import { createWecomAdapter } from '../../adapters/wecom/index.ts';
import type { Config } from '../config.ts';
import { messages } from '../core/kernel/i18n/index.ts';
import type { PlatformAdapter } from '../core/ports/adapter.ts';
import type { Clock } from '../core/ports/clock.ts';

/**
 * The adapters whose credentials are configured, by platform name (the webhook path segment), plus the local web
 * channel when the runtime hands it its store and secret (the Node server, with the playground on). Feishu's is
 * imported only when Feishu is configured: the Lark SDK costs ~12 MiB of memory on Node (bundled and minified) and is
 * most of the Worker bundle.
 * `resolveHost` checks robot webhook hosts' addresses where the runtime can resolve names (Node).
 */
export async function buildAdapters(
  config: Config,
  clock: Clock,
  web?: Omit<WebConfig, 'clock'>,
  resolveHost?: HostResolver,
): Promise<Map<string, PlatformAdapter>> {
  const extraHosts = config.robotHosts;
  const adapters = new Map<string, PlatformAdapter>();
  if (config.telegram) {
    const panel = config.publicUrl && {
      url: `${config.publicUrl}/app`,
      label: messages('zh').card.openPanel,
    };
    adapters.set('telegram', createTelegramAdapter(config.telegram, panel || undefined));
  }
  if (config.wecom) adapters.set('wecom', createWecomAdapter(config.wecom, clock, { extraHosts }));
  if (config.feishu) {
    const { createFeishuAdapter } = await import('../../adapters/feishu/index.ts');
    adapters.set(
      'feishu',
      createFeishuAdapter(
        config.feishu,
        clock,
        { extraHosts, ...(resolveHost ? { resolveHost } : {}) },
        // `@_all` reads as the platform's clients show it: Lark's in English, Feishu's in Chinese.
        { mentionAll: messages(config.feishu.domain === 'lark' ? 'en' : 'zh').messageKinds.mentionAll },
      ),
    );
  }
  if (web) adapters.set('web', createWebAdapter({ ...web, clock }));
  return adapters;
}
