// Traditional Chinese folded to Simplified with OpenCC's data (opencc-js), so a rule keyword or a name written in one
// script matches text written in the other. Plain ESM code and data, no runtime API: runs on Node and Workers alike.
import { ConverterFactory, type DictGroup } from 'opencc-js/core';
// Only the dictionaries this chain reads (the t2cn preset would bring Japanese and regional-phrase ones as well).
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import HKVariantsRevPhrases from 'opencc-js/dict/HKVariantsRevPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';
import TWVariantsRevPhrases from 'opencc-js/dict/TWVariantsRevPhrases';

/** One stage of the conversion chain: source → replacement, longest source first when converting. */
type Table = Map<string, string>;

/**
 * The conversion chain: Taiwan, then Hong Kong variants to OpenCC's standard Traditional (裡/裏, 著, 臺, 綫), then
 * standard Traditional to Simplified. Taiwan's table reads a lone 么 as 幺 (and lists 什么, 这么… only to keep them
 * from it); in the mostly Simplified text here 么 is the 么 of 什么, so those entries are left out.
 */
const stages = (): Table[] => [
  new Map([...table([TWVariantsRevPhrases, TWVariantsRev])].filter(([source]) => !source.includes('么'))),
  table([HKVariantsRevPhrases, HKVariantsRev]),
  table([TSPhrases, TSCharacters]),
];

interface PhraseFolder {
  convert: (text: string) => string;
  /** UTF-16 code units of which any changing dictionary entry holds one; text with none of them cannot change. */
  witnesses: Uint8Array;
}

interface Folders {
  phrases: PhraseFolder;
  /** Code point → its Simplified fold, for the characters that change. */
  chars: Map<number, string>;
}

let folders: Folders | null = null;

/** Both folders from one read of the dictionaries (~60 ms): the rules build them at startup, not a first message. */
const built = (): Folders => {
  if (folders) return folders;
  const tables = stages();
  folders = { phrases: buildPhraseFolder(tables), chars: buildCharFolds(tables) };
  return folders;
};

/**
 * Running text with Traditional characters and phrases turned Simplified, in context (回覆 → 回复, 乾淨 → 干净,
 * 乾隆 stays); Simplified text, Latin and digits stay as they are. For matching rules against messages. A handful of
 * rare characters fold to a supplementary-plane one (one UTF-16 unit becomes two): take positions from the result.
 */
export function foldToSimplified(text: string): string {
  const { witnesses, convert } = built().phrases;
  for (let i = 0; i < text.length; i++) {
    if (witnesses[text.charCodeAt(i)]) return convert(text);
  }
  return text;
}

/**
 * Each character folded on its own (裡 → 里, 陳 → 陈, 乾 → 干), ignoring context: the fold of a substring is always a
 * substring of the fold, so a search matching folded text against a folded query finds whatever the plain one would.
 */
export function foldCharsToSimplified(text: string): string {
  if (!HAN.test(text)) return text;
  const charFolds = built().chars;
  let out = '';
  for (const c of text) out += charFolds.get(c.codePointAt(0)!) ?? c;
  return out;
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}]/u;

function buildPhraseFolder(tables: Table[]): PhraseFolder {
  const changing = tables.flatMap((t) => [...t.keys()].filter((source) => t.get(source) !== source));
  const singles = new Set(changing.filter((source) => [...source].length === 1));
  // A phrase with no Traditional character of its own turns on an ambiguous one (覆, 梁, 沈, 藉) that recurs
  // across its family of entries: the most frequent character of the phrase is its witness, not a 一 or a 上.
  const seen = new Map<string, number>();
  for (const source of changing) for (const c of source) seen.set(c, (seen.get(c) ?? 0) + 1);
  const witnesses = new Uint8Array(0x10000);
  for (const source of changing) {
    const chars = [...source];
    const witness =
      chars.find((c) => singles.has(c)) ??
      chars.reduce((a, b) => ((seen.get(b) ?? 0) > (seen.get(a) ?? 0) ? b : a));
    // A supplementary character is marked by its first code unit, which the text must then hold too.
    witnesses[witness.charCodeAt(0)] = 1;
  }
  return { convert: ConverterFactory(tables.map((t): DictGroup => [[...t]])), witnesses };
}

function buildCharFolds(tables: Table[]): Map<number, string> {
  const maps = tables.map((t) => new Map([...t].filter(([source]) => [...source].length === 1)));
  const chain = (text: string) =>
    maps.reduce((out, map) => Array.from(out, (x) => map.get(x) ?? x).join(''), text);
  const folds = new Map<number, string>();
  for (const c of new Set(maps.flatMap((m) => [...m.keys()]))) {
    // Chained to a fixed point, so folding twice is folding once (a stored key folded again still matches).
    let out = c;
    for (let next = chain(out), n = 0; next !== out && n < 4; next = chain(out), n++) out = next;
    if (out !== c) folds.set(c.codePointAt(0)!, out);
  }
  return folds;
}

/** A dictionary group's entries as opencc-js applies them: the first dictionary holding a key wins it. */
function table(group: string[]): Table {
  const entries: Table = new Map();
  for (const dict of group) {
    for (const entry of dict.split('|')) {
      const [source = '', target = ''] = entry.split(' ');
      if (source && !entries.has(source)) entries.set(source, target);
    }
  }
  return entries;
}
