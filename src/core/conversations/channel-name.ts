import type { ChatKind, Platform } from '../events.ts';
import { type Lang, lookup, messages } from '../i18n/index.ts';

/** How staff are told where a customer wrote or a reply went (relays, `/reply`): the chat's platform and kind. */
export function channelName(lang: Lang, platform: Platform | string, kind: ChatKind | string): string {
  const t = messages(lang);
  return lookup(t.channels, `${platform}:${kind}`) ?? t.channelGroup(platform);
}
