// Text matching for the rule tagger: normalization, word edges (English) and word boundaries (Chinese, from
// Intl.Segmenter), English inflections, and an Aho-Corasick automaton. Standard JS and OpenCC's data.
import { foldToSimplified } from '../text/fold-chinese.ts';

/** Only this many characters of a message are tagged, so a huge message cannot stall the worker. */
export const MAX_TAGGED_CHARS = 2000;

/**
 * What rules and messages are compared in: the first MAX_TAGGED_CHARS characters, NFKC (full-width → half-width),
 * lower case, zero-width characters dropped, curly apostrophes straightened, whitespace collapsed, Traditional
 * Chinese folded to Simplified (這個多少錢 → 这个多少钱). Every position the tagger uses is one in this text.
 */
export function normalizeText(text: string): string {
  return foldToSimplified(
    text
      .slice(0, MAX_TAGGED_CHARS)
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u200b-\u200d\u2060\ufeff]/g, '')
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/\s+/g, ' '),
  );
}

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isCjk = (c: number) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);

/** A term that starts (ends) with a Latin letter or digit must not continue a longer word there. */
export function latinEdgesOk(text: string, start: number, end: number): boolean {
  if (isWordChar(text.charCodeAt(start)) && start > 0 && isWordChar(text.charCodeAt(start - 1))) return false;
  return !(isWordChar(text.charCodeAt(end - 1)) && end < text.length && isWordChar(text.charCodeAt(end)));
}

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' });
const SEGMENT_WINDOW = 48;

/** Word boundaries of Chinese text, segmented lazily and only around positions asked about. */
export class WordBoundaries {
  private marks: Uint8Array | null = null; // 0 not yet segmented, 1 inside a word, 2 a boundary
  constructor(private readonly text: string) {}

  at(pos: number): boolean {
    const { text } = this;
    if (pos <= 0 || pos >= text.length) return true;
    if (!isCjk(text.charCodeAt(pos - 1)) || !isCjk(text.charCodeAt(pos))) return true;
    this.marks ??= new Uint8Array(text.length + 1);
    if (this.marks[pos] === 0) this.segmentRunAround(pos);
    return this.marks[pos] === 2;
  }

  // Chinese is segmented run by run (punctuation and Latin always break words), a window of a long run at most.
  private segmentRunAround(pos: number): void {
    const { text } = this;
    const marks = this.marks!;
    let from = pos - 1;
    while (from > 0 && pos - from < SEGMENT_WINDOW && isCjk(text.charCodeAt(from - 1))) from--;
    let to = pos;
    while (to < text.length && to - pos < SEGMENT_WINDOW && isCjk(text.charCodeAt(to))) to++;
    marks.fill(1, from, to + 1);
    for (const s of SEGMENTER.segment(text.slice(from, to))) marks[from + s.index] = 2;
    marks[to] = 2;
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

/** Aho-Corasick over UTF-16 code units: every occurrence of every pattern in one pass. */
export class AhoCorasick {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];

  constructor(patterns: readonly string[]) {
    patterns.forEach((p, id) => {
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        let child = this.next[node]!.get(c);
        if (child === undefined) {
          child = this.next.push(new Map()) - 1;
          this.fail.push(0);
          this.out.push([]);
          this.next[node]!.set(c, child);
        }
        node = child;
      }
      this.out[node]!.push(id);
    });
    const queue = [...this.next[0]!.values()];
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (const [c, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        this.out[child]!.push(...this.out[this.fail[child]!]!);
        queue.push(child);
      }
    }
  }

  /** Calls found(patternId, end) for every occurrence, in order of end position. */
  scan(text: string, found: (pattern: number, end: number) => void): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let child = this.next[node]!.get(c);
      while (child === undefined && node !== 0) {
        node = this.fail[node]!;
        child = this.next[node]!.get(c);
      }
      node = child ?? 0;
      for (const id of this.out[node]!) found(id, i + 1);
    }
  }
}
