import { foldCharsToSimplified } from '../../kernel/text/fold-chinese.ts';

/**
 * What `/find` and the API's `q` match against: names, company, email, usernames and phone digits, lower-cased and
 * Traditional Chinese folded to Simplified (陳偉 is stored as 陈伟; the query is folded the same way, `searchNeedle`).
 */
export function buildSearchText(parts: Array<string | null | undefined>, phone?: string | null): string {
  const words = parts.filter((p): p is string => Boolean(p?.trim())).map((p) => searchNeedle(p.trim()));
  const digits = phone?.replace(/\D/g, '');
  if (digits) words.push(digits);
  return [...new Set(words)].join('\n');
}

/** A text as search text holds it: lower case, Traditional folded character by character to Simplified. */
export function searchNeedle(text: string): string {
  return foldCharsToSimplified(text.toLowerCase());
}

/** Search text stored by an older version, made what `buildSearchText` makes now (each line through `searchNeedle`). */
export function refreshSearchText(searchText: string): string {
  return [...new Set(searchText.split('\n').map(searchNeedle))].join('\n');
}

/** Escapes LIKE wildcards so user input matches literally (used with `escape '\'`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Keeps the digits of a phone number, with a leading + when there was one. */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return raw.trim().startsWith('+') ? `+${digits}` : digits;
}

/** Prefix of the digit keys in `customer_search_grams`; `:` sorts right after `9`, which bounds a prefix range. */
export const DIGITS_KEY = 'd:';
/** Digit keys are capped so a long number (an id pasted into a name) does not flood the index. */
export const MAX_DIGIT_KEY = 20;

/**
 * The version of `searchKeys` and of search text: raise it with any change to either, and every customer's search text
 * is brought up to date (`searchNeedle` applied to each line, see `eachSearchTextBatch`) and reindexed once.
 * 2: Traditional Chinese folded to Simplified. 3: every run of 4 digits has an exact key (`digitWindows`).
 */
export const SEARCH_KEYS_VERSION = 3;

/**
 * The index keys of a customer's search text (see `customer_search_grams`):
 * - the grams of each line (`grams`), so any query of 2+ characters that matches has all its grams here; lines of
 *   digits only (phones) are left out: their 100 possible bigrams would match everyone;
 * - `d:` + every suffix (4+ digits, at most 20 kept) of each run of 4+ digits, so a digit query is a key prefix;
 * - `d:` + every 4 digits in a row, an exact key: PostgreSQL reads one posting list for 4 digits (a prefix reads one
 *   entry per suffix, 92,000 for "8613") and its statistics tell a common one from a rare one.
 */
export function searchKeys(searchText: string): string[] {
  const keys = new Set<string>();
  // Folded again, so keys stay Simplified even for text stored before folding (folding twice is folding once).
  for (const line of foldCharsToSimplified(searchText).split('\n')) {
    if (!/^\d*$/.test(line)) for (const gram of grams(line)) keys.add(gram);
    for (const run of line.match(/\d{4,}/g) ?? []) {
      for (let i = 0; i + 4 <= run.length; i++) keys.add(DIGITS_KEY + run.slice(i, i + MAX_DIGIT_KEY));
      for (const window of digitWindows(run)) keys.add(DIGITS_KEY + window);
    }
  }
  return [...keys];
}

/** Every 4 digits in a row of a run of digits, each once: a number holding a run holds all of its windows. */
export function digitWindows(run: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 4 <= run.length; i++) out.add(run.slice(i, i + 4));
  return [...out];
}

/**
 * The grams of a text, the same for a query as for what it matches: at each position the next two characters
 * (code points), or three when both are ASCII — Latin bigrams ("an", "li") are too common to narrow anything.
 * A position whose gram would run past the end has none, so a query's grams are always among its match's.
 */
export function grams(text: string): string[] {
  const chars = Array.from(text);
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const pair = `${chars[i]}${chars[i + 1]}`;
    if (!isAscii(pair)) out.add(pair);
    else if (i + 2 < chars.length) out.add(pair + chars[i + 2]);
  }
  return [...out];
}

const isAscii = (s: string) => Array.from(s).every((c) => (c.codePointAt(0) ?? 0) < 128);

/** The digits a phone query stands for: separators dropped, a +86 / 0086 before a mainland mobile number too. */
export function phoneDigits(q: string): string | null {
  if (!/^[\d\s\-+().]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, '');
  return /^(?:00)?86(1\d{10})$/.exec(digits)?.[1] ?? digits;
}
