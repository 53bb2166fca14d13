import type { Lang } from '../i18n.ts';
import { formatTime } from '../time/format.ts';
import type { SourceInfo } from './sources.ts';

/** Channel kinds as people read them. */
export const kindNames: Record<Lang, Record<string, string>> = {
  zh: { campaign: '营销活动', rep: '员工活码', event: '线下活动', referral: '老客户推荐', other: '其他' },
  en: { campaign: 'campaign', rep: 'rep', event: 'event', referral: 'referral', other: 'other' },
};

export const kindName = (kind: string, lang: Lang): string => kindNames[lang][kind] ?? kind;

/** One source in a line: `展会2026（expo2026 · 线下活动 · wecom）03-02 10:16`, with the referrer when there is one. */
export function sourceText(s: SourceInfo, lang: Lang, now: number, timeZone: string): string {
  const facts = [...(s.name ? [s.code] : []), ...(s.kind ? [kindName(s.kind, lang)] : []), s.platform];
  const referrer =
    s.referrerCustomerId === null
      ? ''
      : lang === 'zh'
        ? `，推荐人 #${s.referrerCustomerId}`
        : `, referred by #${s.referrerCustomerId}`;
  const inner = `${facts.join(' · ')}${referrer}`;
  return `${s.name ?? s.code}${lang === 'zh' ? `（${inner}）` : ` (${inner})`} ${formatTime(s.at, now, timeZone)}`;
}

/** The card fields of a customer's first and latest source; none when they came through no channel. */
export function sourceFields(
  sources: { first: SourceInfo | null; latest: SourceInfo | null },
  lang: Lang,
  now: number,
  timeZone: string,
): Array<{ label: string; value: string }> {
  const { first, latest } = sources;
  if (!first || !latest) return [];
  const t =
    lang === 'zh'
      ? { first: '首次来源', latest: '最近来源' }
      : { first: 'First source', latest: 'Latest source' };
  return [
    { label: t.first, value: sourceText(first, lang, now, timeZone) },
    { label: t.latest, value: sourceText(latest, lang, now, timeZone) },
  ];
}
