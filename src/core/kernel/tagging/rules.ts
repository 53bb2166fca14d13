// The rule tagger: an admin-editable JSON rule set, compiled once into one Aho-Corasick matcher over every literal
// term, applied to normalized message text. Standard JS only (runs on Workers); customer text is only ever matched.
import { z } from 'zod';

export { MAX_TAGGED_CHARS, normalizeText } from './matching.ts';
export { type CompiledRules, compileRules, tagText } from './tagger.ts';

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

export interface TagRule {
  id: string;
  /** The tag reps see, e.g. 询价. */
  tag: string;
  signals?: Signal[];
  /**
   * Who the rule is written for. A zh rule's terms and regexes count only in text with Chinese in it (its Latin terms,
   * like bug or PO, are for mixed text); an en rule's regexes run only on text that does not read as Chinese, and its
   * terms inside Chinese text only when listed in `mixed`.
   */
  lang: RuleLang;
  /** Whole words: Chinese ones aligned to Intl.Segmenter words, English ones with plural/-ed/-ing forms. */
  keywords?: string[];
  /** Substrings for Chinese; English phrases still need word edges (and get the same inflections). */
  phrases?: string[];
  /** JavaScript regular expressions (case-insensitive) over the normalized text. */
  regexes?: string[];
  /** Terms (matched like phrases) that cancel the rule for the whole message. */
  exclude?: string[];
  /** Terms (matched like phrases) that cancel the rule's matches in their own clause only (不是退款的事，…). */
  clauseExclude?: string[];
  /**
   * When true, a match does not count in a clause asking not to be contacted about something (别再推优惠了, stop
   * sending me offers): the customer names what they do not want. The phrases are ASKS_NOT_TO_BE_CONTACTED.
   */
  unlessAskedNotToContact?: boolean;
  /**
   * When true, the rule does not count in a message saying its grievance is not aimed at the company (不关你们事,
   * 纯吐槽, nothing to do with you): venting about one's own day is no anger or complaint at it. The phrases are
   * SAYS_NOT_ABOUT_US.
   */
  unlessNotAboutUs?: boolean;
  /**
   * Tags this rule yields to: the rule does not count in a message another rule gives one of them (？？ over one's own
   * emergency is hurry, not anger, once urgency is read). Judged against rules that yield to nothing.
   */
  unlessTagged?: string[];
  /**
   * When true, a match does not count when a negator governs it within its clause, before (不/没/无需/不用…,
   * not/no/never/no need to…) or after it (…就算了/…不需要, …isn't needed), or when the clause reports someone
   * else's words (我朋友说…, my friend said…).
   */
  negation?: boolean;
  /** When true, a match does not count in a sentence about a past or resolved event (已经到账, was resolved). */
  resolved?: boolean;
  /**
   * When true, a match does not count in a question that sets a condition (如果坏了可以退吗, 质量有问题的话能退吗,
   * can I return it if it doesn't fit?): it asks about policy before buying, it reports no event.
   */
  conditional?: boolean;
  /** When true (negation implies it), a match inside a condition (如果…, …的话, if…) does not count: no event yet. */
  hypothetical?: boolean;
  /** When true, a match counts only where the customer typed its clause in capitals (WHERE IS MY ORDER). */
  shout?: boolean;
  /** Meta mentions: terms (matched like phrases) inside which this rule's matches, regex ones too, do not count (投诉电话). */
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
    clauseExclude: terms,
    unlessAskedNotToContact: z.boolean().optional(),
    unlessNotAboutUs: z.boolean().optional(),
    unlessTagged: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    negation: z.boolean().optional(),
    resolved: z.boolean().optional(),
    conditional: z.boolean().optional(),
    hypothetical: z.boolean().optional(),
    shout: z.boolean().optional(),
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
    rule.unlessTagged?.forEach((tag, i) => {
      if (tag.trim() === rule.tag.trim())
        ctx.addIssue({
          code: 'custom',
          path: ['unlessTagged', i],
          message: "must be another tag than the rule's own",
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
    const tags = new Set(set.rules.map((rule) => rule.tag.trim()));
    set.rules.forEach((rule, i) => {
      rule.unlessTagged?.forEach((tag, k) => {
        if (!tags.has(tag.trim()))
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, 'unlessTagged', k],
            message: 'no rule gives this tag',
          });
      });
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
