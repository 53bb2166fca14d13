import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { StageDefinition } from '../../kernel/runtime.ts';
import { formatTime } from '../../kernel/time/format.ts';
import { stageName } from '../customers/stages.ts';
import { tagLabel } from '../tags/tag-label.ts';
import type { MergePreview, MergeSide } from './preview.ts';
import type { MergedValue } from './rules.ts';

/** What the chat needs to render a preview in the asker's language. */
export interface PreviewTextContext {
  lang: Lang;
  stages: readonly StageDefinition[];
  timeZone: string;
  now: number;
}

/** The preview as chat text: both sides, then each decided value with the rule that decided it. */
export function previewText(p: MergePreview, t: PreviewTextContext): string {
  const w = messages(t.lang).mergePreview;
  const sep = messages(t.lang).colon;
  const stage = (k: string) => stageName(t.stages, k, t.lang);
  const sideLines = (label: string, s: MergeSide) => [
    `${label} #${s.id} ${s.name}${s.company ? ` · ${s.company}` : ''}`,
    `  ${w.ids}${sep}${s.identities.map((i) => `${i.platform} ${i.name ?? ''}`.trim()).join(messages(t.lang).listSep) || w.none}`,
    `  ${w.owner}${sep}${s.owner?.name ?? w.none} · ${w.stage}${sep}${stage(s.stage)}`,
    `  ${w.tags}${sep}${s.tags.map((x) => tagLabel(x, t.lang)).join(messages(t.lang).listSep) || w.none}`,
    `  ${w.counts(s.counts)}`,
  ];
  const owner = (id: number | null) =>
    id === null
      ? w.none
      : id === p.survivor.owner?.id
        ? p.survivor.owner.name
        : (p.merged.owner?.name ?? `#${id}`);
  const value = <T>(label: string, v: MergedValue<T>, show: (x: T) => string) =>
    `  ${label}${sep}${show(v.value)}（${w.reasons[v.reason]}）`;
  const r = p.result;
  const text = (x: string | null) => x ?? w.none;
  return [
    `${w.title}${sep}#${p.merged.id} → #${p.survivor.id}`,
    ...sideLines(w.keep, p.survivor),
    ...sideLines(w.into, p.merged),
    `${w.after}${sep}`,
    value(w.owner, r.owner, owner),
    value(w.stage, r.stage, stage),
    value(w.name, r.name, (x) => x),
    value(w.company, r.company, text),
    value(w.phone, r.phone, text),
    value(w.email, r.email, text),
    value(w.first, r.firstContactAt, (x) => formatTime(x, t.now, t.timeZone)),
    value(w.source, r.source, text),
    w.keepsAll,
  ].join('\n');
}
