import type { ChatKind, Platform } from '../events.ts';
import type { Lang } from '../i18n.ts';

const NAMES: Record<string, Record<Lang, string>> = {
  'telegram:private': { zh: 'Telegram', en: 'Telegram' },
  'telegram:business': { zh: 'Telegram Business', en: 'Telegram Business' },
  'wecom:service': { zh: '微信客服', en: 'WeChat Customer Service' },
  'web:private': { zh: '网页', en: 'web chat' },
  'feishu:private': { zh: '飞书', en: 'Feishu' },
};

/** How staff are told where a customer wrote or a reply went (relays, `/reply`): the chat's platform and kind. */
export function channelName(lang: Lang, platform: Platform | string, kind: ChatKind | string): string {
  return NAMES[`${platform}:${kind}`]?.[lang] ?? (lang === 'zh' ? `${platform} 群` : `${platform} group`);
}
