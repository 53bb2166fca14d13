import { inflections } from '../../src/core/kernel/tagging/matching.ts';
import {
  compileRules,
  normalizeText,
  type RuleSet,
  type TagRule,
  tagText,
} from '../../src/core/kernel/tagging/rules.ts';
import { type EvalMessage, type GoldLabel, TAG_OF } from './data.ts';

/** One term of a rule measured alone, with the rule's context switches, on the messages given. */
export interface TermAudit {
  ruleId: string;
  tag: string;
  kind: 'keyword' | 'phrase' | 'regex';
  term: string;
  /** Messages the term alone tags. */
  fires: number;
  /** Of those, messages whose settled labels carry the tag's label. */
  hits: number;
  /** Ids of the messages it tags wrongly. */
  misfires: string[];
}

const LABEL_OF = new Map(
  Object.entries(TAG_OF).flatMap(([label, tag]) => (tag ? [[tag, label as GoldLabel]] : [])),
);

/**
 * Every term of every rule whose tag the evaluation labels, each as a rule of its own (the rule's switches, excludes
 * and masks kept), run over `messages`. What a rule writer reads to drop or narrow a term that misfires more often
 * than it hits. Callers pass training messages only: a term chosen by its held-out record is tuned on held-out text.
 */
export function auditTerms(
  ruleSet: RuleSet,
  messages: readonly EvalMessage[],
  onlyTag?: string,
): TermAudit[] {
  const normalized = messages.map((m) => normalizeText(m.text));
  const audits: TermAudit[] = [];
  for (const rule of ruleSet.rules) {
    const label = LABEL_OF.get(rule.tag);
    if (!label || (onlyTag && rule.tag !== onlyTag)) continue;
    for (const [kind, term] of termsOf(rule)) {
      const alone = compileRules({ version: 1, rules: [ruleWithOnly(rule, kind, term)] });
      // A literal term can only fire where one of its forms is in the text: the rest need not be tagged.
      const forms = kind === 'regex' ? null : inflections(normalizeText(term).trim());
      const audit: TermAudit = {
        ruleId: rule.id,
        tag: rule.tag,
        kind,
        term,
        fires: 0,
        hits: 0,
        misfires: [],
      };
      messages.forEach((m, i) => {
        if (forms && !forms.some((f) => normalized[i]!.includes(f))) return;
        if (tagText(alone, m.text).length === 0) return;
        audit.fires++;
        if (m.labels.includes(label)) audit.hits++;
        else audit.misfires.push(m.id);
      });
      audits.push(audit);
    }
  }
  return audits;
}

function termsOf(rule: TagRule): Array<[TermAudit['kind'], string]> {
  return [
    ...(rule.keywords ?? []).map((t): [TermAudit['kind'], string] => ['keyword', t]),
    ...(rule.phrases ?? []).map((t): [TermAudit['kind'], string] => ['phrase', t]),
    ...(rule.regexes ?? []).map((t): [TermAudit['kind'], string] => ['regex', t]),
  ];
}

function ruleWithOnly(rule: TagRule, kind: TermAudit['kind'], term: string): TagRule {
  const { keywords: _k, phrases: _p, regexes: _r, mixed, ...rest } = rule;
  const kept = mixed?.filter((t) => t === term);
  return {
    ...rest,
    ...(kind === 'keyword'
      ? { keywords: [term] }
      : kind === 'phrase'
        ? { phrases: [term] }
        : { regexes: [term] }),
    ...(kept?.length ? { mixed: kept } : {}),
  };
}

/** Tags each message gets, by id: saved before a rule change and compared after it (`diffTags`). */
export type TagsById = Record<string, string[]>;

export function tagsById(ruleSet: RuleSet, messages: readonly EvalMessage[]): TagsById {
  const compiled = compileRules(ruleSet);
  return Object.fromEntries(
    messages.map((m) => [
      m.id,
      tagText(compiled, m.text)
        .map((h) => h.tag)
        .sort(),
    ]),
  );
}

/** A tag a rule change gave or took from one message, and whether the settled labels say the tag is right. */
export interface TagChange {
  id: string;
  tag: string;
  won: boolean;
  right: boolean;
}

/** Tags won and lost between two taggings of the same messages; only tags the evaluation labels are judged. */
export function diffTags(before: TagsById, after: TagsById, messages: readonly EvalMessage[]): TagChange[] {
  const changes: TagChange[] = [];
  for (const m of messages) {
    const was = new Set(before[m.id] ?? []);
    const now = new Set(after[m.id] ?? []);
    for (const tag of new Set([...was, ...now])) {
      const label = LABEL_OF.get(tag);
      if (!label || was.has(tag) === now.has(tag)) continue;
      changes.push({ id: m.id, tag, won: now.has(tag), right: m.labels.includes(label) });
    }
  }
  return changes;
}
