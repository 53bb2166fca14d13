// Text matching for the rule tagger: normalization, word edges (English) and word boundaries (Chinese, from
// Intl.Segmenter), English inflections (the automaton is in aho-corasick.ts). Standard JS and OpenCC's data.
import { foldCantonese } from '../text/fold-cantonese.ts';
import { foldToSimplified } from '../text/fold-chinese.ts';

/** Only this many characters of a message are tagged, so a huge message cannot stall the worker. */
export const MAX_TAGGED_CHARS = 2000;

/**
 * What rules and messages are compared in: the first MAX_TAGGED_CHARS characters, NFKC (full-width → half-width),
 * lower case, zero-width characters dropped, curly apostrophes straightened, whitespace collapsed, Traditional
 * Chinese folded to Simplified (這個多少錢 → 这个多少钱), written Cantonese read as Mandarin (冇收到 → 没收到). Every
 * position the tagger uses is one in this text.
 */
export function normalizeText(text: string): string {
  return foldCantonese(
    foldToSimplified(tidy(text.slice(0, MAX_TAGGED_CHARS).normalize('NFKC').toLowerCase())),
  );
}

/** The text as normalized but in the case it was typed; '' where lower-casing moved positions (İ → i̇). */
export function casedText(text: string, normalized: string): string {
  const cased = foldCantonese(foldToSimplified(tidy(text.slice(0, MAX_TAGGED_CHARS).normalize('NFKC'))));
  return cased.length === normalized.length ? cased : '';
}

// Chat English drops the apostrophe (dont, cant, didnt): put back, rules and negation read it as if typed.
const BARE_CONTRACTION = /\b(do|does|did|is|are|was|were|have|has|had|ca|wo|should|would|could)(n)(t)\b/gi;

/** Zero-width characters dropped, curly apostrophes straightened, whitespace collapsed, bare contractions mended. */
function tidy(s: string): string {
  const t = tidyWhitespace(s);
  return /nt\b/i.test(t) ? t.replace(BARE_CONTRACTION, "$1$2'$3") : t;
}

/** The invisible-character and whitespace part of `tidy`; most text has none of it. */
function tidyWhitespace(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 ? s.charCodeAt(i + 1) === 32 : c < 32 || (c >= 0x80 && mayTidy(c)))
      return s
        .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
        .replace(/[\u2018\u2019]/g, "'")
        .replace(/\s+/g, ' ');
  }
  return s;
}

/** Non-ASCII code units the rewrites touch: \s beyond ASCII, zero-width characters, curly apostrophes. */
function mayTidy(c: number): boolean {
  if (c < 0x2000) return c === 0xa0 || c === 0x1680;
  if (c <= 0x2060)
    return (
      c <= 0x200d ||
      c === 0x2018 ||
      c === 0x2019 ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0x202f ||
      c >= 0x205f
    );
  return c === 0x3000 || c === 0xfeff;
}

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
/** Whether a UTF-16 code unit is a Chinese character (CJK ideographs, extension A, compatibility ideographs). */
export const isCjk = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

/** Whether `text` from `from` to `to` holds any Chinese character. */
export function hasCjk(text: string, from = 0, to = text.length): boolean {
  for (let i = from; i < to; i++) if (isCjk(text.charCodeAt(i))) return true;
  return false;
}

/** A term that starts (ends) with a Latin letter or digit must not continue a longer word there. */
export function latinEdgesOk(text: string, start: number, end: number): boolean {
  if (isWordChar(text.charCodeAt(start)) && start > 0 && isWordChar(text.charCodeAt(start - 1))) return false;
  return !(isWordChar(text.charCodeAt(end - 1)) && end < text.length && isWordChar(text.charCodeAt(end)));
}

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });
const SEGMENT_WINDOW = 48;

/** Word boundaries of Chinese text, segmented lazily and only around positions asked about. */
export class WordBoundaries {
  // Per position, the window (1-based, into `windows`) whose segmentation answers for it; 0 not segmented yet.
  private owner: Int32Array | null = null;
  private windows: { from: number; to: number; segments: Intl.Segments }[] | null = null;
  constructor(private readonly text: string) {}

  at(pos: number): boolean {
    const { text } = this;
    if (pos <= 0 || pos >= text.length) return true;
    if (!isCjk(text.charCodeAt(pos - 1)) || !isCjk(text.charCodeAt(pos))) return true;
    this.owner ??= new Int32Array(text.length + 1);
    const w = this.owner[pos] || this.segmentRunAround(pos);
    const { from, to, segments } = this.windows![w - 1]!;
    // Asking for the one segment holding pos costs far less than listing every segment of the window.
    return pos === to || segments.containing(pos - from)!.index === pos - from;
  }

  // Chinese is segmented run by run (punctuation and Latin always break words), a window of a long run at most; a
  // later window takes over the positions it covers.
  private segmentRunAround(pos: number): number {
    const { text } = this;
    let from = pos - 1;
    while (from > 0 && pos - from < SEGMENT_WINDOW && isCjk(text.charCodeAt(from - 1))) from--;
    let to = pos;
    while (to < text.length && to - pos < SEGMENT_WINDOW && isCjk(text.charCodeAt(to))) to++;
    this.windows ??= [];
    const w = this.windows.push({ from, to, segments: SEGMENTER.segment(text.slice(from, to)) });
    this.owner!.fill(w, from, to + 1);
    return w;
  }
}

/** A term and, when it ends in an English word, its plural, past and -ing forms (cheap, over-generating). */
export function inflections(t: string): string[] {
  if (!/[a-z]{3,}$/.test(t)) return [t];
  const forms = new Set([t]);
  const consonantY = /[^aeiou]y$/.test(t);
  forms.add(consonantY ? `${t.slice(0, -1)}ies` : /(s|x|z|ch|sh)$/.test(t) ? `${t}es` : `${t}s`);
  if (t.endsWith('e')) forms.add(`${t}d`).add(t.endsWith('ee') ? `${t}ing` : `${t.slice(0, -1)}ing`);
  else if (consonantY) forms.add(`${t.slice(0, -1)}ied`).add(`${t}ing`);
  else {
    forms.add(`${t}ed`).add(`${t}ing`);
    // ship → shipped, shipping
    if (/[^aeiou][aeiou][b-df-hj-np-tvz]$/.test(t)) forms.add(`${t}${t.at(-1)}ed`).add(`${t}${t.at(-1)}ing`);
  }
  return [...forms];
}
