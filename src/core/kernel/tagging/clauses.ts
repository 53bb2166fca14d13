// Clauses of a message: a match is judged by what its clause (or sentence) says around it. Positions are in
// normalized text (see matching.ts).
import { codeUnitSet } from '../text/code-unit-set.ts';
import { isCjk } from './matching.ts';

const MAX_CLAUSE = 80;

// Clause ends: punctuation and line breaks; a contrast conjunction (但是, 不过, but…) starts a new clause too.
const PUNCT = codeUnitSet(',.!?;:。、…~\n()[]/|');
const SENTENCE = codeUnitSet('.!?;。…\n');
const CONTRAST = /但是|但|不过|可是|然而|只是|就是说|\b(?:but|however|though|although|yet)\b/g;

/** [start, end] pairs of the contrast conjunctions in the text. */
function contrastsIn(text: string): number[] {
  const pairs: number[] = [];
  CONTRAST.lastIndex = 0;
  for (let m = CONTRAST.exec(text); m; m = CONTRAST.exec(text)) pairs.push(m.index, m.index + m[0].length);
  return pairs;
}

/** Where the clauses of one message break: computed once, on the first match that asks. */
export class Clauses {
  private contrasts: number[] | null = null; // [start, end] pairs of contrast conjunctions
  // The clause (and sentence) of each match asked about: rules sharing a term ask about the same match.
  private readonly found = new Map<number, [number, number]>();

  constructor(readonly text: string) {}

  /** In chat, a space between Chinese characters separates clauses as a comma would (没事 不用退款 就是…怎么开). */
  private cjkSpace(i: number): boolean {
    const { text } = this;
    return text.charCodeAt(i) === 32 && isCjk(text.charCodeAt(i - 1)) && isCjk(text.charCodeAt(i + 1));
  }

  /** The clause a match sits in, [from, to): between punctuation (sentence ends only, if `sentence`) and contrasts. */
  around(start: number, end: number, sentence = false): [number, number] {
    const { text } = this;
    const key = ((start * (text.length + 1) + end) << 1) | (sentence ? 1 : 0);
    const known = this.found.get(key);
    if (known) return known;
    const stops = sentence ? SENTENCE : PUNCT;
    let from = start;
    while (
      from > 0 &&
      start - from < MAX_CLAUSE &&
      !stops[text.charCodeAt(from - 1)] &&
      !(!sentence && this.cjkSpace(from - 1))
    )
      from--;
    let to = end;
    while (
      to < text.length &&
      to - end < MAX_CLAUSE &&
      !stops[text.charCodeAt(to)] &&
      !(!sentence && this.cjkSpace(to))
    )
      to++;
    this.contrasts ??= contrastsIn(text);
    const c = this.contrasts;
    for (let i = 0; i < c.length; i += 2) {
      if (c[i + 1]! <= start && c[i + 1]! > from) from = c[i + 1]!;
      else if (c[i]! >= end && c[i]! < to) to = c[i]!;
    }
    const clause: [number, number] = [from, to];
    this.found.set(key, clause);
    return clause;
  }
}
