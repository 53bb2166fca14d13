// The rule tagger: an admin-editable JSON rule set, compiled once into one Aho-Corasick matcher over every literal
// term, applied to normalized message text. Standard JS only (runs on Workers); customer text is only ever matched.
import { z } from 'zod';
import { MatchContext } from './context.ts';
import { AhoCorasick, inflections, latinEdgesOk, normalizeText } from './matching.ts';

export { MAX_TAGGED_CHARS, normalizeText } from './matching.ts';

/** What alerting keys on; closed so a rule file cannot invent alert kinds. */
export const SIGNALS = [
  'complaint',
  'refund',
  'negative',
  'high_intent',
  'urgent',
  'churn',
  'stop_contact',
] as const;
export type Signal = (typeof SIGNALS)[number];
export type RuleLang = 'zh' | 'en' | 'any';
/** Rules written for Latin-script text (their terms need care inside Chinese text). */
const LATIN_RULES: ReadonlySet<RuleLang> = new Set<RuleLang>(['en']);

export interface TagRule {
  id: string;
  /** The tag reps see, e.g. 询价. */
  tag: string;
  signals?: Signal[];
  /** Who the rule is written for; regexes of zh/en rules only run on text with Chinese/Latin letters. */
  lang: RuleLang;
  /** Whole words: Chinese ones aligned to Intl.Segmenter words, English ones with plural/-ed/-ing forms. */
  keywords?: string[];
  /** Substrings for Chinese; English phrases still need word edges (and get the same inflections). */
  phrases?: string[];
  /** JavaScript regular expressions (case-insensitive) over the normalized text. */
  regexes?: string[];
  /** Terms (matched like phrases) that cancel the rule for the whole message. */
  exclude?: string[];
  /**
   * When true, a match does not count when a negator governs it within its clause, before (不/没/无需/不用…,
   * not/no/never/no need to…) or after it (…就算了/…不需要, …isn't needed), or when the clause reports someone
   * else's words (我朋友说…, my friend said…).
   */
  negation?: boolean;
  /** When true, a match does not count in a sentence about a past or resolved event (已经到账, was resolved). */
  resolved?: boolean;
  /** Meta mentions: terms (matched like phrases) inside which this rule's matches do not count (投诉电话). */
  mask?: string[];
  /**
   * English terms of this rule (among its keywords and phrases) that also count inside Chinese text, as whole words;
   * an English rule's other terms and its regexes do not fire in Chinese text.
   */
  mixed?: string[];
  confidence: number;
}

export interface RuleSet {
  version: 1;
  rules: TagRule[];
}

export interface TagHit {
  tag: string;
  ruleId: string;
  confidence: number;
  signals: Signal[];
}

const MAX_REGEX_SOURCE = 300;

const term = z.string().min(1).max(100);
const terms = z.array(term).max(1000).optional();
const ruleSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'letters, digits and . _ : - only (1-80 characters)'),
    tag: z.string().trim().min(1).max(40),
    signals: z.array(z.enum(SIGNALS)).optional(),
    lang: z.enum(['zh', 'en', 'any']),
    keywords: terms,
    phrases: terms,
    regexes: z.array(z.string().min(1)).max(100).optional(),
    exclude: terms,
    negation: z.boolean().optional(),
    resolved: z.boolean().optional(),
    mask: terms,
    mixed: terms,
    confidence: z.number().min(0).max(1),
  })
  .superRefine((rule, ctx) => {
    if (!rule.keywords?.length && !rule.phrases?.length && !rule.regexes?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['keywords'],
        message: 'needs at least one keyword, phrase or regex',
      });
    const own = new Set([...(rule.keywords ?? []), ...(rule.phrases ?? [])]);
    rule.mixed?.forEach((t, i) => {
      if (!own.has(t))
        ctx.addIssue({
          code: 'custom',
          path: ['mixed', i],
          message: "must be one of the rule's keywords or phrases",
        });
    });
    rule.regexes?.forEach((source, i) => {
      const problem = regexProblem(source);
      if (problem) ctx.addIssue({ code: 'custom', path: ['regexes', i], message: problem });
    });
  });
const ruleSetSchema = z
  .strictObject({ version: z.literal(1), rules: z.array(ruleSchema).max(2000) })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    set.rules.forEach((rule, i) => {
      if (seen.has(rule.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: 'duplicate rule id' });
      seen.add(rule.id);
    });
  });

/** Why a regex source is refused: invalid, too long, or prone to catastrophic backtracking; null when fine. */
export function regexProblem(source: string): string | null {
  if (source.length > MAX_REGEX_SOURCE) return `longer than ${MAX_REGEX_SOURCE} characters`;
  try {
    new RegExp(source, 'i');
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(source)) return 'back-references are not allowed';
  // A repeated group holding a repetition or an alternation, like (a+)+ or (a|aa)*, can backtrack exponentially.
  const groups: boolean[] = []; // per open group: does it hold a repetition or alternation?
  const unbounded = /^(?:[+*]|\{\d+,\d*\})/;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
    else if (c === '(') groups.push(false);
    else if (c === ')') {
      const inner = groups.pop() ?? false;
      const repeated = unbounded.test(source.slice(i + 1, i + 12));
      if (inner && repeated)
        return 'a repeated group holding a repetition or alternation (like (a+)+) may backtrack catastrophically';
      if ((inner || repeated) && groups.length) groups[groups.length - 1] = true;
    } else if ((c === '|' || unbounded.test(source.slice(i, i + 12))) && groups.length)
      groups[groups.length - 1] = true;
  }
  return null;
}

/** Validates a parsed rule file; throws an Error naming the rule id and field of each problem. */
export function validateRuleSet(value: unknown): RuleSet {
  const parsed = ruleSetSchema.safeParse(value);
  if (parsed.success) return parsed.data as RuleSet;
  const rules = (value as { rules?: unknown[] } | null)?.rules;
  const problems = parsed.error.issues.slice(0, 10).map((issue) => {
    const [head, index, ...field] = issue.path;
    if (head !== 'rules' || typeof index !== 'number')
      return `${issue.path.join('.') || 'file'}: ${issue.message}`;
    const id = (rules?.[index] as { id?: unknown } | undefined)?.id;
    const name = typeof id === 'string' ? `rule "${id}"` : `rule #${index + 1}`;
    const where = field
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .slice(1);
    return `${name}${where ? ` field ${where}` : ''}: ${issue.message}`;
  });
  throw new Error(`Invalid tag rule file: ${problems.join('; ')}`);
}

/** Parses and validates a rule file's JSON text; throws an Error naming the rule id and field on bad input. */
export function parseRuleSet(jsonText: string): RuleSet {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch (e) {
    throw new Error(`Invalid tag rule file: not JSON (${(e as Error).message})`);
  }
  return validateRuleSet(value);
}

const KEYWORD = 0;
const PHRASE = 1;
const EXCLUDE = 2;
const MASK = 3;
type Kind = typeof KEYWORD | typeof PHRASE | typeof EXCLUDE | typeof MASK;
interface Use {
  rule: number;
  kind: Kind;
  /** An English rule's term that also counts inside Chinese text. */
  mixed: boolean;
}
interface CompiledRule {
  id: string;
  tag: string;
  signals: readonly Signal[];
  confidence: number;
  negation: boolean;
  resolved: boolean;
  lang: RuleLang;
  regexes: RegExp[];
  /** Index of the rule's tag in `tags`. */
  tagIndex: number;
}

export interface CompiledRules {
  /** Every tag the rules can give, in rule order: the allowlist for anything that tags automatically. */
  readonly tags: readonly string[];
  readonly rules: readonly CompiledRule[];
  readonly matcher: AhoCorasick;
  /** For each matcher pattern: its length and the rules that use it. */
  readonly patterns: readonly { length: number; uses: Use[] }[];
}

/** Compiles a rule set once: every literal term into one Aho-Corasick automaton, regexes precompiled. */
export function compileRules(set: RuleSet): CompiledRules {
  const patternIds = new Map<string, number>();
  const patterns: { length: number; uses: Use[] }[] = [];
  const add = (raw: string, rule: number, kind: Kind, mixed = false) => {
    for (const form of inflections(normalizeText(raw).trim())) {
      if (!form) continue;
      let id = patternIds.get(form);
      if (id === undefined) {
        id = patterns.push({ length: form.length, uses: [] }) - 1;
        patternIds.set(form, id);
      }
      patterns[id]!.uses.push({ rule, kind, mixed });
    }
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
    const tag = r.tag.trim();
    if (!tagIndex.has(tag)) tagIndex.set(tag, tagIndex.size);
    return {
      id: r.id,
      tag,
      tagIndex: tagIndex.get(tag)!,
      signals: Object.freeze([...new Set(r.signals ?? [])]),
      confidence: r.confidence,
      negation: r.negation ?? false,
      resolved: r.resolved ?? false,
      lang: r.lang,
      // One pass per rule: its regexes joined into one alternation (each was checked safe on its own).
      regexes: r.regexes?.length ? [new RegExp(r.regexes.map((s) => `(?:${s})`).join('|'), 'gi')] : [],
    };
  });
  return {
    tags: [...tagIndex.keys()],
    rules,
    matcher: new AhoCorasick([...patternIds.keys()]),
    patterns,
  };
}

/**
 * The tags a message earns: one hit per tag (its highest-confidence rule; the earlier rule on a tie), sorted by
 * confidence, then rule order. Never throws on any string; only the first MAX_TAGGED_CHARS characters count.
 */
export function tagText(compiled: CompiledRules, text: string): TagHit[] {
  const normalized = normalizeText(text);
  if (!normalized.trim()) return [];
  const { rules, patterns } = compiled;
  const matched = new Uint8Array(rules.length);
  const excluded = new Uint8Array(rules.length);
  // Candidate matches (pattern, end) and mask spans (rule, start, end), judged once the whole text is scanned.
  const found: number[] = [];
  const masks: number[] = [];
  compiled.matcher.scan(normalized, (pattern, end) => {
    const { length, uses } = patterns[pattern]!;
    if (!latinEdgesOk(normalized, end - length, end)) return;
    let candidate = false;
    for (const { rule, kind } of uses) {
      if (kind === EXCLUDE) excluded[rule] = 1;
      else if (kind === MASK) masks.push(rule, end - length, end);
      else candidate = true;
    }
    if (candidate) found.push(pattern, end);
  });
  const context = new MatchContext(normalized);
  // The rule each tag has so far: a rule it outranks (confidence, then order) need not be judged at all.
  const holder = new Int32Array(compiled.tags.length).fill(-1);
  for (let f = 0; f < found.length; f += 2) {
    const { length, uses } = patterns[found[f]!]!;
    const end = found[f + 1]!;
    const start = end - length;
    for (const { rule, kind, mixed } of uses) {
      if (kind === EXCLUDE || kind === MASK || matched[rule] || excluded[rule]) continue;
      if (outranked(rules, holder, rule)) continue;
      if (!mixed && context.chinese) continue;
      if (kind === KEYWORD && !(context.words.at(start) && context.words.at(end))) continue;
      if (context.masked(masks, rule, start, end)) continue;
      if (context.counts(rules[rule]!, start, end)) take(rules, holder, matched, rule);
    }
  }
  // A rule written for Chinese (English) runs its regexes only on Chinese (English, not mixed) text.
  const written: Record<RuleLang, boolean> = {
    zh: /[\u3400-\u9fff\uf900-\ufaff]/.test(normalized),
    en: /[a-z]/.test(normalized) && !context.chinese,
    any: true,
  };
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (matched[i] || excluded[i] || !rule.regexes.length || outranked(rules, holder, i)) continue;
    if (!written[rule.lang]) continue;
    if (rule.regexes.some((re) => context.regexMatches(re, rule))) take(rules, holder, matched, i);
  }
  const best = new Map<string, number>();
  for (let i = 0; i < rules.length; i++) {
    if (!matched[i] || excluded[i]) continue;
    const rule = rules[i]!;
    const current = best.get(rule.tag);
    if (current === undefined || rules[current]!.confidence < rule.confidence) best.set(rule.tag, i);
  }
  return [...best.values()]
    .sort((a, b) => rules[b]!.confidence - rules[a]!.confidence || a - b)
    .map((i) => {
      const r = rules[i]!;
      return { tag: r.tag, ruleId: r.id, confidence: r.confidence, signals: [...r.signals] };
    });
}

/** Whether the rule holding rule i's tag (holder, by tag index) outranks it: higher confidence, or equal and earlier. */
function outranked(rules: readonly CompiledRule[], holder: Int32Array, i: number): boolean {
  const h = holder[rules[i]!.tagIndex]!;
  if (h < 0) return false;
  const a = rules[h]!.confidence;
  const b = rules[i]!.confidence;
  return a > b || (a === b && h < i);
}

function take(rules: readonly CompiledRule[], holder: Int32Array, matched: Uint8Array, i: number): void {
  matched[i] = 1;
  if (!outranked(rules, holder, i)) holder[rules[i]!.tagIndex] = i;
}
