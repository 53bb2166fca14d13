// Compiling a rule set and tagging messages with it. Every literal term, and the literals each rule's regexes need,
// go into one Aho-Corasick automaton: a message is scanned once, only rules with a term in it are judged, and a
// regex runs only where one of its literals occurs. Per-message state lives in arrays reused from message to message.
import { AhoCorasick } from './aho-corasick.ts';
import { ASKS_NOT_TO_BE_CONTACTED } from './asks-not-to-be-contacted.ts';
import { MatchContext } from './context.ts';
import { inflections, latinEdgesOk, normalizeText } from './matching.ts';
import { SAYS_NOT_ABOUT_US } from './not-about-us.ts';
import { requiredLiterals } from './regex-prefilter.ts';
import type { RuleLang, RuleSet, Signal, TagHit } from './rules.ts';

/** Rules written for Latin-script text (their terms need care inside Chinese text). */
const LATIN_RULES: ReadonlySet<RuleLang> = new Set<RuleLang>(['en']);
/** Rules written for Chinese text (their Latin terms, like bug or PO, are for mixed text). */
const CHINESE_RULES: ReadonlySet<RuleLang> = new Set<RuleLang>(['zh']);

const KEYWORD = 0;
const PHRASE = 1;
const EXCLUDE = 2;
const MASK = 3;
const CLAUSE_EXCLUDE = 4;
type Kind = typeof KEYWORD | typeof PHRASE | typeof EXCLUDE | typeof MASK | typeof CLAUSE_EXCLUDE;

interface CompiledRule {
  index: number;
  id: string;
  tag: string;
  signals: readonly Signal[];
  confidence: number;
  negation: boolean;
  resolved: boolean;
  conditional: boolean;
  hypothetical: boolean;
  shout: boolean;
  lang: RuleLang;
  regexes: RegExp[];
  /** Index of the rule's tag in `tags`. */
  tagIndex: number;
  /** Indexes of the tags this rule yields to (`unlessTagged`); empty for none. */
  yieldsTo: readonly number[];
}

/** The automaton and flat tables `tagText` runs on, and its reusable per-message state. */
interface Engine {
  matcher: AhoCorasick;
  /** Per pattern: its length, and where its term uses start in `useRule`/`useKind`/`useMixed` (one past the last too). */
  length: Int32Array;
  useStart: Int32Array;
  useRule: Int32Array;
  useKind: Uint8Array;
  /** An English rule's term that also counts inside Chinese text (1), or any other rule's term. */
  useMixed: Uint8Array;
  /** Per pattern (and one past the last): where the rules whose regexes need it start in `hintRule`. */
  hintStart: Int32Array;
  hintRule: Int32Array;
  /** Rules with regexes that need no literal (run on every message), in rule order. */
  unhintedRegexRules: Int32Array;
  /** The current message's rules whose regexes may match: a literal they need was seen (flagged in `hinted`). */
  hintedRules: number[];
  matched: Uint8Array;
  excluded: Uint8Array;
  hinted: Uint8Array;
  /** The rule each tag has so far (by tag index), -1 for none. */
  holder: Int32Array;
  /** Where each tag's hit is in the list being built (by tag index), -1 for none; left all -1. */
  slot: Int32Array;
  masks: number[];
  /** Clause excludes seen in the current message: (rule, start, end) triples. */
  unless: number[];
  /** Rules matched on the current (or last) message, in the order taken. */
  taken: number[];
  /** Whether `excluded` may hold a flag from the last message. */
  flagged: boolean;
}

export interface CompiledRules {
  /** Every tag the rules can give, in rule order: the allowlist for anything that tags automatically. */
  readonly tags: readonly string[];
  readonly rules: readonly CompiledRule[];
  readonly engine: Engine;
}

/** Compiles a rule set once: every literal term into one Aho-Corasick automaton, regexes precompiled. */
export function compileRules(set: RuleSet): CompiledRules {
  const patternIds = new Map<string, number>();
  const uses: { rule: number; kind: Kind; mixed: boolean }[][] = [];
  const hints: number[][] = [];
  const idOf = (form: string) => {
    let id = patternIds.get(form);
    if (id === undefined) {
      id = uses.push([]) - 1;
      hints.push([]);
      patternIds.set(form, id);
    }
    return id;
  };
  const add = (raw: string, rule: number, kind: Kind, mixed = false) => {
    for (const form of inflections(normalizeText(raw).trim()))
      if (form) uses[idOf(form)]!.push({ rule, kind, mixed });
  };
  const tagIndex = new Map<string, number>();
  const rules = set.rules.map((r, i): CompiledRule => {
    const mixed = new Set(r.mixed ?? []);
    // Terms of rules written for Latin text fire inside Chinese text only where listed as safe there (`mixed`).
    const firesInMixed = (t: string) => !LATIN_RULES.has(r.lang) || mixed.has(t);
    for (const t of r.keywords ?? []) add(t, i, KEYWORD, firesInMixed(t));
    for (const t of r.phrases ?? []) add(t, i, PHRASE, firesInMixed(t));
    for (const t of r.exclude ?? []) add(t, i, EXCLUDE);
    for (const t of r.mask ?? []) add(t, i, MASK);
    for (const t of r.clauseExclude ?? []) add(t, i, CLAUSE_EXCLUDE);
    if (r.unlessAskedNotToContact) for (const t of ASKS_NOT_TO_BE_CONTACTED) add(t, i, CLAUSE_EXCLUDE);
    if (r.unlessNotAboutUs) for (const t of SAYS_NOT_ABOUT_US) add(t, i, EXCLUDE);
    const tag = r.tag.trim();
    if (!tagIndex.has(tag)) tagIndex.set(tag, tagIndex.size);
    return {
      index: i,
      id: r.id,
      tag,
      tagIndex: tagIndex.get(tag)!,
      signals: Object.freeze([...new Set(r.signals ?? [])]),
      confidence: r.confidence,
      negation: r.negation ?? false,
      resolved: r.resolved ?? false,
      conditional: r.conditional ?? false,
      hypothetical: r.hypothetical ?? false,
      shout: r.shout ?? false,
      lang: r.lang,
      // One pass per rule: its regexes joined into one alternation (each was checked safe on its own).
      regexes: r.regexes?.length ? [new RegExp(joinedSource(r.regexes), 'gi')] : [],
      yieldsTo: [],
    };
  });
  // Validation made sure some rule gives each tag a rule yields to.
  set.rules.forEach((r, i) => {
    rules[i]!.yieldsTo = (r.unlessTagged ?? []).map((t) => tagIndex.get(t.trim())!);
  });
  const unhintedRegexRules: number[] = [];
  set.rules.forEach((r, i) => {
    if (!r.regexes?.length) return;
    const literals = requiredLiterals(joinedSource(r.regexes));
    if (!literals?.length) unhintedRegexRules.push(i);
    else for (const literal of literals) hints[idOf(literal)]!.push(i);
  });
  const forms = [...patternIds.keys()];
  const flat = <T>(lists: T[][]) => {
    const start = new Int32Array(lists.length + 1);
    lists.forEach((list, p) => {
      start[p + 1] = start[p]! + list.length;
    });
    return { start, items: lists.flat() };
  };
  const termUses = flat(uses);
  const hintUses = flat(hints);
  return {
    tags: [...tagIndex.keys()],
    rules,
    engine: {
      matcher: new AhoCorasick(forms),
      length: Int32Array.from(forms, (f) => f.length),
      useStart: termUses.start,
      useRule: Int32Array.from(termUses.items, (u) => u.rule),
      useKind: Uint8Array.from(termUses.items, (u) => u.kind),
      useMixed: Uint8Array.from(termUses.items, (u) => (u.mixed ? 1 : 0)),
      hintStart: hintUses.start,
      hintRule: Int32Array.from(hintUses.items),
      unhintedRegexRules: Int32Array.from(unhintedRegexRules),
      hintedRules: [],
      matched: new Uint8Array(rules.length),
      excluded: new Uint8Array(rules.length),
      hinted: new Uint8Array(rules.length),
      holder: new Int32Array(tagIndex.size).fill(-1),
      slot: new Int32Array(tagIndex.size).fill(-1),
      masks: [],
      unless: [],
      taken: [],
      flagged: false,
    },
  };
}

const joinedSource = (regexes: readonly string[]) => regexes.map((s) => `(?:${s})`).join('|');
const LATIN = /[a-z]/;

/**
 * The tags a message earns: one hit per tag (its highest-confidence rule; the earlier rule on a tie), sorted by
 * confidence, then rule order. Never throws on any string; only the first MAX_TAGGED_CHARS characters count.
 */
export function tagText(compiled: CompiledRules, text: string): TagHit[] {
  const normalized = normalizeText(text);
  if (!normalized.trim()) return [];
  const { rules, engine } = compiled;
  const { length, useStart, useRule, useKind, useMixed, hintStart, hintRule } = engine;
  // Synchronous and never re-entered, so one set of working arrays per compiled rule set serves every message.
  const { matched, excluded, hinted, hintedRules, holder, masks, unless, taken } = engine;
  // Only what the last message touched is cleared: its taken rules (matched, holders) and, after hits, the flags.
  for (const i of taken) {
    matched[i] = 0;
    holder[rules[i]!.tagIndex] = -1;
  }
  if (taken.length) taken.length = 0;
  if (masks.length) masks.length = 0;
  if (unless.length) unless.length = 0;
  for (const i of hintedRules) hinted[i] = 0;
  if (hintedRules.length) hintedRules.length = 0;
  if (engine.flagged) {
    excluded.fill(0);
    engine.flagged = false;
  }
  // Candidate matches (pattern, end) are kept, in place, at the front of the hits; mask spans go to `masks`.
  const n = engine.matcher.scanAll(normalized);
  const hits = engine.matcher.hits;
  if (n) engine.flagged = true;
  let found = 0;
  for (let h = 0; h < n; h += 2) {
    const pattern = hits[h]!;
    const end = hits[h + 1]!;
    for (let k = hintStart[pattern]!; k < hintStart[pattern + 1]!; k++) {
      const rule = hintRule[k]!;
      if (!hinted[rule]) {
        hinted[rule] = 1;
        hintedRules.push(rule);
      }
    }
    const from = useStart[pattern]!;
    const until = useStart[pattern + 1]!;
    if (from === until || !latinEdgesOk(normalized, end - length[pattern]!, end)) continue;
    let candidate = false;
    for (let u = from; u < until; u++) {
      const kind = useKind[u]!;
      if (kind === EXCLUDE) excluded[useRule[u]!] = 1;
      else if (kind === MASK) masks.push(useRule[u]!, end - length[pattern]!, end);
      else if (kind === CLAUSE_EXCLUDE) unless.push(useRule[u]!, end - length[pattern]!, end);
      else candidate = true;
    }
    if (candidate) {
      hits[found++] = pattern;
      hits[found++] = end;
    }
  }
  let context: MatchContext | null = null;
  // A rule its tag's holder outranks (confidence, then order) need not be judged at all.
  for (let f = 0; f < found; f += 2) {
    const pattern = hits[f]!;
    const end = hits[f + 1]!;
    const start = end - length[pattern]!;
    for (let u = useStart[pattern]!; u < useStart[pattern + 1]!; u++) {
      const kind = useKind[u]!;
      const rule = useRule[u]!;
      if (kind >= EXCLUDE || matched[rule] || excluded[rule]) continue;
      if (outranked(rules, holder, rule)) continue;
      context ??= new MatchContext(normalized, text, unless);
      if (!useMixed[u] && context.chinese) continue;
      // A rule written for Chinese takes its Latin terms (bug, login) from mixed text, not from English messages.
      if (CHINESE_RULES.has(rules[rule]!.lang) && !context.hasChinese) continue;
      if (kind === KEYWORD && !(context.words.at(start) && context.words.at(end))) continue;
      if (context.masked(masks, rule, start, end)) continue;
      if (context.counts(rules[rule]!, start, end)) take(rules, holder, matched, taken, rule);
    }
  }
  // A rule written for Chinese (English) runs its regexes only on Chinese (English, not mixed) text.
  let written: Record<RuleLang, boolean> | null = null;
  // Only rules a needed literal was seen for can match (and those needing none), taken in rule order.
  for (const i of engine.unhintedRegexRules) hintedRules.push(i);
  if (hintedRules.length > 1) sortShort(hintedRules, ascending);
  for (const i of hintedRules) {
    const rule = rules[i]!;
    if (matched[i] || excluded[i] || outranked(rules, holder, i)) continue;
    context ??= new MatchContext(normalized, text, unless);
    written ??= {
      zh: context.hasChinese,
      en: LATIN.test(normalized) && !context.chinese,
      any: true,
    };
    if (!written[rule.lang]) continue;
    for (const re of rule.regexes) {
      if (!context.regexMatches(re, rule, masks)) continue;
      take(rules, holder, matched, taken, i);
      break;
    }
  }
  return hitsOf(rules, engine);
}

/** Sorts a short list in place by `before` (insertion sort: far cheaper here than Array#sort with a comparator). */
function sortShort(list: number[], before: (a: number, b: number) => boolean): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i]!;
    let j = i - 1;
    while (j >= 0 && before(v, list[j]!)) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = v;
  }
}
const ascending = (a: number, b: number) => a < b;

/** One hit per tag, its best rule; in the order the rules would be listed (confidence, then rule order). */
function hitsOf(rules: readonly CompiledRule[], engine: Engine): TagHit[] {
  const { matched, excluded, taken, slot } = engine;
  if (!taken.length) return [];
  sortShort(taken, ascending);
  yieldToTags(rules, engine);
  // Each tag's best rule, tags in the order their first matched rule comes (as a Map keyed by tag would hold them).
  const best: number[] = [];
  for (const i of taken) {
    if (!matched[i] || excluded[i]) continue;
    const t = rules[i]!.tagIndex;
    const k = slot[t]!;
    if (k < 0) slot[t] = best.push(i) - 1;
    else if (rules[best[k]!]!.confidence < rules[i]!.confidence) best[k] = i;
  }
  for (const i of best) slot[rules[i]!.tagIndex] = -1;
  // Highest confidence first, then rule order.
  sortShort(
    best,
    (a, b) =>
      rules[a]!.confidence > rules[b]!.confidence || (rules[a]!.confidence === rules[b]!.confidence && a < b),
  );
  return best.map((i) => {
    const r = rules[i]!;
    return { tag: r.tag, ruleId: r.id, confidence: r.confidence, signals: [...r.signals] };
  });
}

/** Unmatches each taken rule one of whose `unlessTagged` tags a rule that yields to nothing gave this message. */
function yieldToTags(rules: readonly CompiledRule[], engine: Engine): void {
  const { matched, excluded, taken, slot } = engine;
  let yielding = false;
  for (const i of taken) if (rules[i]!.yieldsTo.length && matched[i]) yielding = true;
  if (!yielding) return;
  // `slot` is all -1 between messages: borrowed here to mark the tags given, then restored.
  for (const i of taken)
    if (matched[i] && !excluded[i] && !rules[i]!.yieldsTo.length) slot[rules[i]!.tagIndex] = -2;
  for (const i of taken) if (rules[i]!.yieldsTo.some((t) => slot[t] === -2)) matched[i] = 0;
  for (const i of taken) slot[rules[i]!.tagIndex] = -1;
}

/** Whether the rule holding rule i's tag (holder, by tag index) outranks it: higher confidence, or equal and earlier. */
function outranked(rules: readonly CompiledRule[], holder: Int32Array, i: number): boolean {
  const h = holder[rules[i]!.tagIndex]!;
  if (h < 0) return false;
  const a = rules[h]!.confidence;
  const b = rules[i]!.confidence;
  return a > b || (a === b && h < i);
}

function take(
  rules: readonly CompiledRule[],
  holder: Int32Array,
  matched: Uint8Array,
  taken: number[],
  i: number,
): void {
  matched[i] = 1;
  taken.push(i);
  // A rule that may yield to another tag holds nothing: its tag's other rules are still judged.
  if (!rules[i]!.yieldsTo.length && !outranked(rules, holder, i)) holder[rules[i]!.tagIndex] = i;
}
