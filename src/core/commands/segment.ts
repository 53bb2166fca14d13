import { stageName } from '../customers/stages.ts';
import type { Lang } from '../i18n.ts';
import { contactsShown } from '../permissions/contacts-shown.ts';
import {
  countSegment,
  type SegmentRow,
  segmentFor,
  segmentSample,
  segmentsFor,
  segmentTitle,
  storedFilter,
} from '../segments/segments.ts';
import { similarSegments } from '../segments/similar.ts';
import type { Command, CommandContext } from './command.ts';

const SAMPLE = 5;

/**
 * `/segment 分群`: the saved segments with how many customers each has within the asker's data scope;
 * `/segment 分群 <name|#id|中文名>`: one segment's count and a sample (phones masked for reps).
 */
export const segmentCommand: Command = {
  name: 'segment',
  aliases: ['分群'],
  usage: { zh: '/segment 分群 [名称|#编号]', en: '/segment [name|#id]' },
  summary: { zh: '客户分群：人数和样本', en: 'customer segments: counts and a sample' },
  hints: ['分群', '沉睡客户', '流失挽回', 'segment'],
  async run(ctx) {
    const ref = ctx.args.trim();
    if (!ref) return listAnswer(ctx);
    const segment = await segmentFor(ctx.deps.db, ctx.viewer, ref);
    if (!segment) return unknownAnswer(ctx, ref);
    return segmentAnswer(ctx, segment);
  },
};

async function listAnswer(ctx: CommandContext): Promise<string> {
  const t = text[ctx.lang];
  const segments = await segmentsFor(ctx.deps.db, ctx.viewer);
  if (segments.length === 0) return t.none;
  const now = ctx.deps.clock.now();
  const lines: string[] = [];
  for (const s of segments) {
    const parsed = storedFilter(s);
    const count = parsed.ok ? await countSegment(ctx.deps, parsed.filter, ctx.viewer, now) : null;
    lines.push(
      `#${s.id} ${segmentTitle(s, ctx.lang)}${t.colon}${count === null ? t.broken : t.count(count)}`,
    );
  }
  return [t.listHead, ...lines, t.listFoot].join('\n');
}

async function segmentAnswer(ctx: CommandContext, segment: SegmentRow): Promise<string> {
  const { deps, lang, viewer } = ctx;
  const t = text[lang];
  const title = segmentTitle(segment, lang);
  const parsed = storedFilter(segment);
  if (!parsed.ok) return t.invalid(title, parsed.error);
  const now = deps.clock.now();
  const total = await countSegment(deps, parsed.filter, viewer, now);
  const head = [`#${segment.id} ${title}`, segment.builtin === 1 ? null : segment.description]
    .filter(Boolean)
    .join('\n');
  if (total === 0) return `${head}\n${t.empty}`;
  const sample = await contactsShown(
    deps,
    ctx.actor,
    await segmentSample(deps, parsed.filter, viewer, now, SAMPLE),
    { command: 'segment', segment: segment.id },
  );
  const lines = sample.map((c) =>
    [
      `#${c.id} ${c.name}`,
      c.owner ? t.owner(c.owner.name) : t.unowned,
      stageName(deps.org.stages, c.stage, lang),
      c.phone,
    ]
      .filter(Boolean)
      .join(' · '),
  );
  const more = total > sample.length ? [t.more(total - sample.length)] : [];
  return [head, t.total(total), ...lines, ...more].join('\n');
}

async function unknownAnswer(ctx: CommandContext, ref: string): Promise<string> {
  const t = text[ctx.lang];
  const all = await segmentsFor(ctx.deps.db, ctx.viewer);
  const similar = similarSegments(ref, all);
  const names = (rows: SegmentRow[]) =>
    rows.map((s) => segmentTitle(s, ctx.lang)).join(ctx.lang === 'zh' ? '、' : ', ');
  if (similar.length > 0) return t.unknown(ref) + t.didYouMean(names(similar));
  return all.length > 0 ? t.unknown(ref) + t.known(names(all)) : t.unknown(ref);
}

const text: Record<
  Lang,
  {
    none: string;
    colon: string;
    listHead: string;
    listFoot: string;
    count: (n: number) => string;
    broken: string;
    invalid: (title: string, error: string) => string;
    empty: string;
    total: (n: number) => string;
    owner: (name: string) => string;
    unowned: string;
    more: (n: number) => string;
    unknown: (ref: string) => string;
    didYouMean: (names: string) => string;
    known: (names: string) => string;
  }
> = {
  zh: {
    none: '还没有分群。',
    colon: '：',
    listHead: '客户分群（人数为你可见范围内的客户）：',
    listFoot: '发送 /segment 分群 <名称> 查看人数和样本。',
    count: (n) => `${n} 人`,
    broken: '条件无效',
    invalid: (title, error) => `分群「${title}」的条件无效：${error}`,
    empty: '你可见范围内目前没有符合的客户。',
    total: (n) => `共 ${n} 位客户（你可见范围内），样本：`,
    owner: (name) => `负责人 ${name}`,
    unowned: '公海',
    more: (n) => `……另有 ${n} 位未列出。`,
    unknown: (ref) => `没有「${ref}」这个分群。`,
    didYouMean: (names) => `你是不是要找：${names}`,
    known: (names) => `现有分群：${names}`,
  },
  en: {
    none: 'No segments yet.',
    colon: ': ',
    listHead: 'Segments (customers within what you can see):',
    listFoot: 'Send /segment <name> for the count and a sample.',
    count: (n) => `${n}`,
    broken: 'invalid filter',
    invalid: (title, error) => `The filter of segment "${title}" is invalid: ${error}`,
    empty: 'No customer within what you can see matches it now.',
    total: (n) => `${n} customer(s) within what you can see; a sample:`,
    owner: (name) => `owner ${name}`,
    unowned: 'unowned',
    more: (n) => `…and ${n} more.`,
    unknown: (ref) => `There is no segment "${ref}".`,
    didYouMean: (names) => ` Did you mean: ${names}`,
    known: (names) => ` Segments: ${names}`,
  },
};
