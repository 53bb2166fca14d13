/** The languages the bot speaks to people in. */
export type Lang = 'zh' | 'en';

/** Maps a platform language code (`zh-hans`, `zh-CN`, `en-US`…) to a bot language; Chinese when unknown. */
export function languageOf(code: string | null | undefined): Lang {
  if (!code) return 'zh';
  return code.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Lifecycle stage labels, by stage key. */
export const stageLabels: Record<string, Record<Lang, string>> = {
  lead: { zh: '潜在', en: 'lead' },
  interested: { zh: '意向', en: 'interested' },
  won: { zh: '成交', en: 'won' },
  repeat: { zh: '复购', en: 'repeat' },
  lost: { zh: '流失', en: 'lost' },
};

export const stageLabel = (stage: string, lang: Lang): string => stageLabels[stage]?.[lang] ?? stage;
