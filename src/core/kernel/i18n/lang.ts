/** The languages the bot speaks to people in. */
export type Lang = 'zh' | 'en';

/** Every language, in the order catalogues list them. */
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** Maps a platform language code (`zh-hans`, `zh-CN`, `en-US`…) to a bot language; Chinese when unknown. */
export function languageOf(code: string | null | undefined): Lang {
  if (!code) return 'zh';
  return code.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/**
 * The language an HTTP `Accept-Language` header asks for first; Chinese when it names none (absent, or `*`, which
 * Node's fetch and many clients send).
 */
export function languageOfHeader(header: string | null | undefined): Lang {
  const first = header?.split(',')[0]?.split(';')[0]?.trim();
  return !first || first === '*' ? 'zh' : languageOf(first);
}

/** A language as a model prompt names it ("answer in Chinese"): prompt data, not text for people. */
const PROMPT_NAMES: Readonly<Record<Lang, string>> = { zh: 'Chinese', en: 'English' };
export const promptLanguageName = (lang: Lang): string => PROMPT_NAMES[lang];
