// Helpers the tagging tests share: the tags the shipped rules give a text, and a single-rule set to try one switch.
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import {
  type CompiledRules,
  compileRules,
  type TagRule,
  tagText,
  validateRuleSet,
} from '../../src/core/kernel/tagging/rules.ts';

const shipped = compileRules(validateRuleSet(DEFAULT_RULE_SET));

/** The tags a rep sees on `text` under the shipped rules. */
export const tagsOf = (text: string): string[] => tagText(shipped, text).map((h) => h.tag);

/** A rule set of one rule (tag T) with the given matching and context switches. */
export const oneRule = (rule: Omit<TagRule, 'id' | 'tag' | 'confidence'>): CompiledRules =>
  compileRules(validateRuleSet({ version: 1, rules: [{ id: 'r', tag: 'T', confidence: 0.9, ...rule }] }));

/** Whether the rule set tags `text` at all. */
export const fires = (compiled: CompiledRules, text: string): boolean => tagText(compiled, text).length > 0;
