import { messages } from '../../kernel/i18n/index.ts';
import { contactsShown } from '../../kernel/permissions/contacts-shown.ts';
import {
  countSegment,
  type SegmentRow,
  segmentFor,
  segmentSample,
  segmentsFor,
  segmentTitle,
  storedFilter,
} from '../../reading/segments/segments.ts';
import { similarSegments } from '../../reading/segments/similar.ts';
import { stageName } from '../../records/customers/stages.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf } from './common.ts';

const SAMPLE = 5;

/**
 * `/segment 分群`: the saved segments with how many customers each has within the asker's data scope;
 * `/segment 分群 <name|#id|中文名>`: one segment's count and a sample (phones masked for reps).
 */
export const segmentCommand: Command = {
  name: 'segment',
  aliases: ['分群'],
  ...helpOf('segment'),
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
  const { colon } = messages(ctx.lang);
  const t = messages(ctx.lang).commands.segment;
  const segments = await segmentsFor(ctx.deps.db, ctx.viewer);
  if (segments.length === 0) return t.none;
  const now = ctx.deps.clock.now();
  const lines: string[] = [];
  for (const s of segments) {
    const parsed = storedFilter(s);
    const count = parsed.ok ? await countSegment(ctx.deps, parsed.filter, ctx.viewer, now) : null;
    lines.push(`#${s.id} ${segmentTitle(s, ctx.lang)}${colon}${count === null ? t.broken : t.count(count)}`);
  }
  return [t.listHead, ...lines, t.listFoot].join('\n');
}

async function segmentAnswer(ctx: CommandContext, segment: SegmentRow): Promise<string> {
  const { deps, lang, viewer } = ctx;
  const t = messages(lang).commands.segment;
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
  const { listSep } = messages(ctx.lang);
  const t = messages(ctx.lang).commands.segment;
  const all = await segmentsFor(ctx.deps.db, ctx.viewer);
  const similar = similarSegments(ref, all);
  const names = (rows: SegmentRow[]) => rows.map((s) => segmentTitle(s, ctx.lang)).join(listSep);
  if (similar.length > 0) return t.unknown(ref) + t.didYouMean(names(similar));
  return all.length > 0 ? t.unknown(ref) + t.known(names(all)) : t.unknown(ref);
}
