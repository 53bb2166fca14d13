// The tag rules Liaison ships for sales teams, as a constant so Workers need no file; `defaultRuleSetJson()` gives
// admins the same set as a rule file to start from. Chinese single characters that misfire as substrings (贵, 退, 急)
// are keywords, matched as whole words; everything else is a phrase. The rules live in three families.
import { ALERT_RULES } from './default-rules-alerts.ts';
import { PHRASING_RULES_EN } from './default-rules-phrasing-en.ts';
import { PHRASING_RULES_ZH } from './default-rules-phrasing-zh.ts';
import { SALES_RULES } from './default-rules-sales.ts';
import { SERVICE_RULES } from './default-rules-service.ts';
import { RULES_V23 } from './default-rules-v23.ts';
import { RULES_V24_EN } from './default-rules-v24-en.ts';
import { RULES_V24_ZH } from './default-rules-v24-zh.ts';
import { RULES_V25 } from './default-rules-v25.ts';
import { RULES_V26_EN } from './default-rules-v26-en.ts';
import { RULES_V26_ZH } from './default-rules-v26-zh.ts';
import { RULES_V28_EN } from './default-rules-v28-en.ts';
import { RULES_V28_ZH } from './default-rules-v28-zh.ts';
import { RULES_V29_EN } from './default-rules-v29-en.ts';
import { RULES_V29_ZH } from './default-rules-v29-zh.ts';
import type { RuleSet } from './rules.ts';

export const DEFAULT_RULE_SET: RuleSet = {
  version: 1,
  rules: [
    ...SALES_RULES,
    ...SERVICE_RULES,
    ...ALERT_RULES,
    ...PHRASING_RULES_ZH,
    ...PHRASING_RULES_EN,
    ...RULES_V23,
    ...RULES_V24_ZH,
    ...RULES_V24_EN,
    ...RULES_V25,
    ...RULES_V26_ZH,
    ...RULES_V26_EN,
    ...RULES_V28_ZH,
    ...RULES_V28_EN,
    ...RULES_V29_ZH,
    ...RULES_V29_EN,
  ],
};

/** The default rule set as pretty JSON, for an admin to start a rule file from. */
export function defaultRuleSetJson(): string {
  return `${JSON.stringify(DEFAULT_RULE_SET, null, 2)}\n`;
}
