import type { PlatformAdapter } from '../../src/core/ports/adapter.ts';
import { secretMatcher } from '../../src/lib/safe-equal.ts';
import { decodeWeb } from './decode.ts';
import { sendWeb } from './send.ts';
import { WEB_PEOPLE_WORKSPACE, WEB_WORKSPACE, type WebChannel, type WebConfig } from './types.ts';
import { verifyWeb } from './verify.ts';

export type { WebChannel, WebConfig } from './types.ts';

export function createWebAdapter(config: WebConfig): WebChannel {
  if (config.secret.length < 32) throw new Error('the web channel secret must be at least 32 characters');
  const secretMatches = secretMatcher(config.secret);
  return {
    platform: 'web',
    workspace: WEB_WORKSPACE,
    peopleWorkspace: WEB_PEOPLE_WORKSPACE,
    pageSecret: config.secret,
    secretMatches,
    verify: (request) => verifyWeb(request, secretMatches),
    decode: (payload, receivedAt) => decodeWeb(payload, receivedAt),
    send: (message) => sendWeb(config.db, WEB_WORKSPACE, config.clock.now(), message),
    sendsImagesTo: () => true,
  };
}

/** The web channel among the adapters, when the playground is on. */
export function webChannelOf(adapters: ReadonlyMap<string, PlatformAdapter>): WebChannel | null {
  const web = adapters.get('web');
  return web && 'pageSecret' in web ? (web as WebChannel) : null;
}
