import { type Lang, lookup, messages } from '../../kernel/i18n/index.ts';
import { formatTime } from '../../kernel/time/format.ts';
import type { SourceInfo } from './sources.ts';

/** A channel kind as people read it; the kind itself when the catalogue has no name for it. */
export const kindName = (kind: string, lang: Lang): string =>
  lookup(messages(lang).sources.kinds, kind) ?? kind;

/** One source in a line: `展会2026（expo2026 · 线下活动 · wecom）03-02 10:16`, with the referrer when there is one. */
export function sourceText(s: SourceInfo, lang: Lang, now: number, timeZone: string): string {
  const t = messages(lang).sources;
  const facts = [...(s.name ? [s.code] : []), ...(s.kind ? [kindName(s.kind, lang)] : []), s.platform];
  const referrer = s.referrerCustomerId === null ? '' : t.referrer(s.referrerCustomerId);
  return `${t.named(s.name ?? s.code, `${facts.join(' · ')}${referrer}`)} ${formatTime(s.at, now, timeZone)}`;
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
  const t = messages(lang).sources;
  return [
    { label: t.first, value: sourceText(first, lang, now, timeZone) },
    { label: t.latest, value: sourceText(latest, lang, now, timeZone) },
  ];
}
