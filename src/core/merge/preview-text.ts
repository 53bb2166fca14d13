import { stageName } from '../customers/stages.ts';
import type { Lang } from '../i18n.ts';
import type { StageDefinition } from '../runtime.ts';
import { formatTime } from '../time/format.ts';
import type { MergePreview, MergeSide } from './preview.ts';
import type { MergedValue, MergeReason } from './rules.ts';

/** What the chat needs to render a preview in the asker's language. */
export interface PreviewTextContext {
  lang: Lang;
  stages: readonly StageDefinition[];
  timeZone: string;
  now: number;
}

const reasons: Record<Lang, Record<MergeReason, string>> = {
  zh: {
    same: '双方相同',
    survivor: '保留方的',
    survivor_empty: '保留方为空，取并入方的',
    further_stage: '漏斗中更靠后的阶段',
    active_over_lost: '有效阶段优先于流失',
    earliest: '较早的',
  },
  en: {
    same: 'both the same',
    survivor: 'the kept record’s',
    survivor_empty: 'the kept record has none',
    further_stage: 'further along the funnel',
    active_over_lost: 'an active stage beats lost',
    earliest: 'the earlier one',
  },
};

const labels = {
  zh: {
    title: '合并预览',
    keep: '保留',
    into: '并入',
    ids: '身份',
    owner: '负责人',
    stage: '阶段',
    tags: '标签',
    counts: (c: MergeSide['counts']) =>
      `消息 ${c.messages} · 跟进 ${c.notes} · 商机 ${c.deals} · 提醒 ${c.reminders}`,
    after: '合并后',
    name: '姓名',
    company: '公司',
    phone: '电话',
    email: '邮箱',
    first: '首次接触',
    source: '来源',
    none: '无',
    keepsAll: '所有身份、消息、跟进、标签（保留来源）、商机和提醒都归到保留的客户。',
  },
  en: {
    title: 'Merge preview',
    keep: 'Keep',
    into: 'Merge in',
    ids: 'identities',
    owner: 'owner',
    stage: 'stage',
    tags: 'tags',
    counts: (c: MergeSide['counts']) =>
      `${c.messages} messages · ${c.notes} notes · ${c.deals} deals · ${c.reminders} reminders`,
    after: 'After the merge',
    name: 'name',
    company: 'company',
    phone: 'phone',
    email: 'email',
    first: 'first contact',
    source: 'source',
    none: 'none',
    keepsAll:
      'Every identity, message, note, tag (with its source), deal and reminder goes to the kept customer.',
  },
};

/** The preview as chat text: both sides, then each decided value with the rule that decided it. */
export function previewText(p: MergePreview, t: PreviewTextContext): string {
  const w = labels[t.lang];
  const sep = t.lang === 'zh' ? '：' : ': ';
  const stage = (k: string) => stageName(t.stages, k, t.lang);
  const sideLines = (label: string, s: MergeSide) => [
    `${label} #${s.id} ${s.name}${s.company ? ` · ${s.company}` : ''}`,
    `  ${w.ids}${sep}${s.identities.map((i) => `${i.platform} ${i.name ?? ''}`.trim()).join('、') || w.none}`,
    `  ${w.owner}${sep}${s.owner?.name ?? w.none} · ${w.stage}${sep}${stage(s.stage)}`,
    `  ${w.tags}${sep}${s.tags.map((x) => (x.source === 'manual' ? x.name : `${x.name}（${x.source}）`)).join('、') || w.none}`,
    `  ${w.counts(s.counts)}`,
  ];
  const owner = (id: number | null) =>
    id === null
      ? w.none
      : id === p.survivor.owner?.id
        ? p.survivor.owner.name
        : (p.merged.owner?.name ?? `#${id}`);
  const value = <T>(label: string, v: MergedValue<T>, show: (x: T) => string) =>
    `  ${label}${sep}${show(v.value)}（${reasons[t.lang][v.reason]}）`;
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
