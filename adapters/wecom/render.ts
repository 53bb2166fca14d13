import { asSections, type TextSection } from '../../src/core/ports/outbound.ts';
import { splitText } from '../../src/lib/split-text.ts';

/** Full-width look-alikes: WeCom documents no escape in its markup, so the characters that make it are replaced. */
const LOOK_ALIKE: Record<string, string> = { '<': '＜', '>': '＞', '*': '＊', '`': '｀', '&': '＆' };

/**
 * Plain text for WeCom markdown (app and group robot messages): no `<@member>` mention, `<font>` tag, bold, code,
 * quote, heading, `[text](url)` link or bare `http://` link survives; `#12` (a customer's id) stays as it is.
 */
export function escapeWecomMarkdown(text: string): string {
  return text
    .replace(/[<>*`&]/g, (c) => LOOK_ALIKE[c] ?? c)
    .replace(/\](?=\s*\()/g, '］')
    .replace(/:\/\//g, '：//')
    .replace(/^([ \t]*)#(?!\d)/gm, '$1＃');
}

/** Plain text for WeCom text messages to members and app chats, which show `<a href=…>` tags as links. */
export function escapeWecomText(text: string): string {
  return text.replace(/</g, '＜').replace(/>/g, '＞');
}

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
