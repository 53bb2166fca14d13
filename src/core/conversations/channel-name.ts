import { type Lang, lookup, messages } from '../kernel/i18n/index.ts';
import type { ChatKind, Platform } from '../ports/events.ts';

/** How staff are told where a customer wrote or a reply went (relays, `/reply`): the chat's platform and kind. */
export function channelName(lang: Lang, platform: Platform | string, kind: ChatKind | string): string {
  const t = messages(lang);
  return lookup(t.channels, `${platform}:${kind}`) ?? t.channelGroup(platform);
}
