// The rule tagger: an admin-editable JSON rule set, compiled once into one Aho-Corasick matcher over every literal
// term, applied to normalized message text. Standard JS only (runs on Workers); customer text is only ever matched.
import { z } from 'zod';
import {
  AhoCorasick,
  inflections,
  latinEdgesOk,
  negated,
  normalizeText,
  WordBoundaries,
} from './matching.ts';

export { MAX_TAGGED_CHARS, normalizeText } from './matching.ts';

/** What alerting keys on; closed so a rule file cannot invent alert kinds. */
export const SIGNALS = ['complaint', 'refund', 'negative', 'high_intent', 'urgent'] as const;
export type Signal = (typeof SIGNALS)[number];
export type RuleLang = 'zh' | 'en' | 'any';

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
  /** When true, a match right after a negator (不/没/别…, not/no/never/…n't) does not count. */
  negation?: boolean;
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
    confidence: z.number().min(0).max(1),
  })
  .superRefine((rule, ctx) => {
    if (!rule.keywords?.length && !rule.phrases?.length && !rule.regexes?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['keywords'],
        message: 'needs at least one keyword, phrase or regex',
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
type Kind = typeof KEYWORD | typeof PHRASE | typeof EXCLUDE;
interface Use {
  rule: number;
  kind: Kind;
}
interface CompiledRule {
  id: string;
  tag: string;
  signals: readonly Signal[];
  confidence: number;
  negation: boolean;
  lang: RuleLang;
  regexes: RegExp[];
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
  const add = (raw: string, rule: number, kind: Kind) => {
    for (const form of inflections(normalizeText(raw).trim())) {
      if (!form) continue;
      let id = patternIds.get(form);
      if (id === undefined) {
        id = patterns.push({ length: form.length, uses: [] }) - 1;
        patternIds.set(form, id);
      }
      patterns[id]!.uses.push({ rule, kind });
    }
  };
  const rules = set.rules.map((r, i): CompiledRule => {
    for (const t of r.keywords ?? []) add(t, i, KEYWORD);
    for (const t of r.phrases ?? []) add(t, i, PHRASE);
    for (const t of r.exclude ?? []) add(t, i, EXCLUDE);
    return {
      id: r.id,
      tag: r.tag.trim(),
      signals: Object.freeze([...new Set(r.signals ?? [])]),
      confidence: r.confidence,
      negation: r.negation ?? false,
      lang: r.lang,
      regexes: (r.regexes ?? []).map((s) => new RegExp(s, 'gi')),
    };
  });
  return {
    tags: [...new Set(rules.map((r) => r.tag))],
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
  const words = new WordBoundaries(normalized);
  compiled.matcher.scan(normalized, (pattern, end) => {
    const { length, uses } = patterns[pattern]!;
    const start = end - length;
    if (!latinEdgesOk(normalized, start, end)) return;
    for (const { rule, kind } of uses) {
      if (kind === EXCLUDE) excluded[rule] = 1;
      else if (matched[rule] || excluded[rule]) continue;
      else if (kind === KEYWORD && !(words.at(start) && words.at(end))) continue;
      else if (rules[rule]!.negation && negated(normalized, start)) continue;
      else matched[rule] = 1;
    }
  });
  // A rule written for Chinese (English) runs its regexes only on text with Chinese (Latin) letters.
  const written: Record<RuleLang, boolean> = {
    zh: /[\u3400-\u9fff\uf900-\ufaff]/.test(normalized),
    en: /[a-z]/.test(normalized),
    any: true,
  };
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (matched[i] || excluded[i] || !rule.regexes.length) continue;
    if (!written[rule.lang]) continue;
    if (rule.regexes.some((re) => regexMatches(re, normalized, rule.negation))) matched[i] = 1;
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

function regexMatches(re: RegExp, text: string, negation: boolean): boolean {
  re.lastIndex = 0;
  // A bounded number of tries: each match that is negated moves on to the next one.
  for (let tries = 0; tries < 20; tries++) {
    const m = re.exec(text);
    if (!m) return false;
    if (!negation || !negated(text, m.index)) return true;
    if (m[0] === '') re.lastIndex++;
  }
  return false;
}
