import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { normalizeText } from '../../src/core/kernel/tagging/matching.ts';
import { requiredLiterals } from '../../src/core/kernel/tagging/regex-prefilter.ts';
import { compileRules, tagText } from '../../src/core/kernel/tagging/rules.ts';

const EVAL = join(import.meta.dirname, '..', 'fixtures', 'intelligence-eval');
const evalTexts = ['messages-zh.jsonl', 'messages-en.jsonl'].flatMap((file) =>
  readFileSync(join(EVAL, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text),
);

/** Regexes written here to probe the parser: alternation, classes, optional and repeated parts, groups, escapes. */
const PROBES = [
  '退(款|钱|货)',
  '(?:not|never) (?:renew|buy)',
  String.raw`\d+\s*(?:天|days?)`,
  String.raw`wh(?:y|at)\b.{0,20}\bprice`,
  '[贵贵]了?吧',
  'a?b*c+',
  '(?<!不)想要',
  '^hi$',
  'x{2,3}y',
  String.raw`\$\d{2,}`,
  '(cancel|stop)(ling)? (my|the) (order|subscription)',
];

/** Texts that hit the probes and the shipped regexes in odd places. */
const TRICKY = [
  '退货 退钱 退款',
  'we will not renew',
  'never buy again!!',
  '等了3 天 还是 10days',
  'why is the  price so high',
  '贵吧 贵了吧',
  'bbbc ac c',
  '不想要 想要',
  'hi',
  'xxy xxxy',
  'can you do $450',
  'cancelling my subscription; stop the order',
];

describe('the regex prefilter', () => {
  const sources = [...DEFAULT_RULE_SET.rules.flatMap((r) => r.regexes ?? []), ...PROBES];
  const texts = [...evalTexts, ...TRICKY].map(normalizeText);

  it('names literals one of which is in every text the regex matches (shipped rules, probes, the eval set)', () => {
    let checked = 0;
    for (const source of sources) {
      const literals = requiredLiterals(source);
      if (!literals) continue; // no filter: the regex runs on every message
      expect(literals.length).toBeGreaterThan(0);
      const regex = new RegExp(source, 'i');
      for (const text of texts) {
        if (!regex.test(text)) continue;
        checked++;
        expect(
          literals.some((l) => text.includes(l)),
          `${source} matched "${text}" without any of ${literals}`,
        ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(100); // the check saw real matches, not an empty loop
  });

  it('filters simple alternations by their exact words and refuses what it cannot read', () => {
    expect(requiredLiterals('退(款|钱)')?.sort()).toEqual(['退款', '退钱'].sort());
    expect(requiredLiterals('a?b*')).toBeNull();
    expect(requiredLiterals('(unclosed')).toBeNull();
  });

  it('tags a custom rule set with regexes the same whether or not its literals hint', () => {
    const compiled = compileRules({
      version: 1,
      rules: [
        { id: 'refund.re', tag: '退款', lang: 'any', confidence: 0.9, regexes: ['退(款|钱)'] },
        { id: 'any.re', tag: '任意', lang: 'any', confidence: 0.9, regexes: ['a?b*c'] },
      ],
    });
    expect(tagText(compiled, '我要退钱').map((h) => h.tag)).toEqual(['退款']);
    expect(tagText(compiled, '我要退').map((h) => h.tag)).toEqual([]);
    expect(tagText(compiled, 'abc').map((h) => h.tag)).toEqual(['任意']);
  });
});
