import { asSections, type TextSection } from '../../src/core/outbound.ts';
import { splitText } from '../../src/lib/split-text.ts';
import { escapeWecomMarkdown } from './escape.ts';

/** One message of markdown, and the sections from it to the end (what a retry still has to send). */
export interface MarkdownPart {
  content: string;
  rest: TextSection[];
}

/** A heading or one line of a section: the unit parts are made of, itself a section for `rest`. */
type Unit = TextSection;

/**
 * Sections as WeCom markdown in parts of at most `limit` (as `measure` counts): headings bold, quotes quoted, every
 * text escaped. Parts end between lines; a line too long for one part is cut, its pieces still plain text.
 */
export function wecomMarkdownParts(
  stored: ReadonlyArray<TextSection | string> | string,
  limit: number,
  measure: (s: string) => number,
): MarkdownPart[] {
  const units: Unit[] = asSections(stored).flatMap((s) => [
    ...(s.heading ? [{ heading: s.heading, text: '' }] : []),
    ...(s.text
      ? s.text.split('\n').map((line) => ({ text: line, ...(s.quote ? { quote: true } : {}) }))
      : []),
  ]);
  const fitting = units.flatMap((u) => {
    if (measure(render(u)) <= limit) return [u];
    const room = limit - measure(render(u.heading ? { heading: ' ', text: '' } : { ...u, text: '' }));
    const escaped = (s: string) => measure(escapeWecomMarkdown(s));
    return splitText(u.heading ?? u.text, Math.max(room, 1), escaped).map((piece) =>
      u.heading ? { heading: piece, text: '' } : { ...u, text: piece },
    );
  });
  const parts: MarkdownPart[] = [];
  let start = 0;
  while (start < fitting.length) {
    let end = start + 1;
    let content = render(fitting[start] as Unit);
    while (end < fitting.length) {
      const longer = `${content}\n${render(fitting[end] as Unit)}`;
      if (measure(longer) > limit) break;
      content = longer;
      end++;
    }
    parts.push({ content, rest: fitting.slice(start) });
    start = end;
  }
  return parts;
}

function render(u: Unit): string {
  if (u.heading) return `**${escapeWecomMarkdown(u.heading)}**`;
  return `${u.quote ? '> ' : ''}${escapeWecomMarkdown(u.text)}`;
}
