import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET, defaultRuleSetJson } from '../../src/core/kernel/tagging/default-rules.ts';
import {
  compileRules,
  MAX_TAGGED_CHARS,
  parseRuleSet,
  type RuleSet,
  regexProblem,
  tagText,
  validateRuleSet,
} from '../../src/core/kernel/tagging/rules.ts';
import { INJECTION_PROMPTS } from './injection-prompts.ts';
import { HOLDOUT_MESSAGES, LABELED_MESSAGES, type LabeledMessage } from './labeled-messages.ts';

const defaults = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const tagsOf = (text: string, compiled = defaults) => tagText(compiled, text).map((h) => h.tag);
const hasChinese = (text: string) => /[\u4e00-\u9fff]/.test(text);

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const precision = (c: Counts) => ratio(c.tp, c.tp + c.fp);
const recall = (c: Counts) => ratio(c.tp, c.tp + c.fn);

/** Micro counts over every (message, tag) pair, and the same per tag. */
function evaluate(messages: LabeledMessage[]): { total: Counts; perTag: Map<string, Counts> } {
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  const perTag = new Map<string, Counts>();
  const bump = (tag: string, key: keyof Counts) => {
    const c = perTag.get(tag) ?? { tp: 0, fp: 0, fn: 0 };
    c[key]++;
    total[key]++;
    perTag.set(tag, c);
  };
  for (const m of messages) {
    const got = new Set(tagsOf(m.text));
    const want = new Set(m.tags);
    for (const t of got) bump(t, want.has(t) ? 'tp' : 'fp');
    for (const t of want) if (!got.has(t)) bump(t, 'fn');
  }
  return { total, perTag };
}

function report(name: string, messages: LabeledMessage[]): Counts {
  const { total, perTag } = evaluate(messages);
  const line = (label: string, c: Counts) =>
    `  ${label.padEnd(10 - (label.match(/[\u4e00-\u9fff]/g)?.length ?? 0))} P ${precision(c).toFixed(3)}  R ${recall(c).toFixed(3)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
  const lines = [...perTag].sort(([a], [b]) => a.localeCompare(b)).map(([tag, c]) => line(tag, c));
  console.log(
    [`Rule tagger on ${name} (${messages.length} messages)`, line('micro', total), ...lines].join('\n'),
  );
  return total;
}

describe('default rules on the labeled set', () => {
  it('has enough realistic Chinese and English messages', () => {
    expect(LABELED_MESSAGES.length).toBeGreaterThanOrEqual(150);
    expect(LABELED_MESSAGES.filter((m) => hasChinese(m.text)).length).toBeGreaterThanOrEqual(100);
    expect(LABELED_MESSAGES.filter((m) => !hasChinese(m.text)).length).toBeGreaterThanOrEqual(50);
    const known = new Set(defaults.tags);
    for (const m of [...LABELED_MESSAGES, ...HOLDOUT_MESSAGES])
      for (const t of m.tags) expect(known).toContain(t);
  });

  it('reaches precision >= 0.9 and recall >= 0.8 on the labeled set', () => {
    const c = report('the labeled set', LABELED_MESSAGES);
    expect(precision(c)).toBeGreaterThanOrEqual(0.9);
    expect(recall(c)).toBeGreaterThanOrEqual(0.8);
  });

  // Written after the rules were frozen: phrasing the rules never saw, so recall is the honest, lower figure.
  it('keeps precision >= 0.9 on held-out messages, recall >= 0.5', () => {
    const c = report('the held-out set', HOLDOUT_MESSAGES);
    expect(precision(c)).toBeGreaterThanOrEqual(0.9);
    expect(recall(c)).toBeGreaterThanOrEqual(0.5);
    const all = report('both sets', [...LABELED_MESSAGES, ...HOLDOUT_MESSAGES]);
    expect(precision(all)).toBeGreaterThanOrEqual(0.9);
    expect(recall(all)).toBeGreaterThanOrEqual(0.8);
  });

  it('ships as valid JSON an admin can start from', () => {
    expect(parseRuleSet(defaultRuleSetJson())).toEqual(DEFAULT_RULE_SET);
  });
});

describe('matching', () => {
  it('matches Chinese keywords as whole words and phrases as substrings', () => {
    expect(tagsOf('贵公司的报价单')).not.toContain('价格异议');
    expect(tagsOf('贵司什么时候发货')).toEqual(['物流']);
    expect(tagsOf('这个有点贵')).toContain('价格异议');
    expect(tagsOf('我要退出群聊')).toEqual([]);
    expect(tagsOf('退了吧')).toEqual(['退款']);
  });

  it('respects negation where the rule asks for it', () => {
    expect(tagsOf('不贵')).toEqual([]);
    expect(tagsOf('没有投诉')).toEqual([]);
    expect(tagsOf('not expensive at all')).toEqual([]);
    expect(tagsOf('no complaints here')).toEqual([]);
    expect(tagsOf('不急')).toEqual([]);
    expect(tagsOf('贵不贵')).toEqual(['询价']);
  });

  it('normalizes full-width, case, spacing and English inflections', () => {
    expect(tagsOf('ＲＥＦＵＮＤ please')).toEqual(['退款']);
    expect(tagsOf('it was SHIPPED   yesterday')).toEqual(['物流']);
    expect(tagsOf('two refunds so far')).toEqual(['退款']);
    expect(tagsOf('shipshape office')).toEqual([]);
  });

  it('reads chat English that drops the apostrophe as if it were typed', () => {
    const pairs: Array<[string, string]> = [
      ['i dont want a refund, just a replacement', "i don't want a refund, just a replacement"],
      ['we dont need the renewal this year', "we don't need the renewal this year"],
      ['there isnt any complaint, just asking', "there isn't any complaint, just asking"],
      ['DONT CALL ME AGAIN', "DON'T CALL ME AGAIN"],
    ];
    for (const [bare, typed] of pairs) expect([bare, tagsOf(bare)]).toEqual([bare, tagsOf(typed)]);
    expect(tagsOf('i dont want a refund, just a replacement')).not.toContain('退款');
    // Words that only look like one stay as they are.
    expect(tagsOf('the event was cancelled, please refund')).toContain('退款');
  });

  it('does not count a match inside a mask term, a regex match included', () => {
    const rule = (extra: object) =>
      compileRules(
        validateRuleSet({
          version: 1,
          rules: [{ id: 'r', tag: 'T', lang: 'zh', confidence: 0.9, regexes: ['投诉.{0,2}电话'], ...extra }],
        }),
      );
    expect(tagsOf('你们投诉的电话打不通', rule({}))).toEqual(['T']);
    expect(tagsOf('请问投诉电话是多少', rule({ mask: ['请问投诉电话'] }))).toEqual([]);
    expect(tagsOf('我要投诉，电话打不通', rule({ mask: ['请问投诉电话'] }))).toEqual(['T']);
  });

  it('gives one hit per tag from its highest-confidence rule, in a stable order', () => {
    const set = parseRuleSet(
      JSON.stringify({
        version: 1,
        rules: [
          { id: 'a.low', tag: 'A', lang: 'en', keywords: ['alpha'], confidence: 0.5 },
          { id: 'a.high', tag: 'A', signals: ['urgent'], lang: 'en', keywords: ['alpha'], confidence: 0.9 },
          { id: 'b', tag: 'B', lang: 'en', keywords: ['alpha'], confidence: 0.9 },
        ],
      }),
    );
    const hits = tagText(compileRules(set), 'alpha');
    expect(hits).toEqual([
      { tag: 'A', ruleId: 'a.high', confidence: 0.9, signals: ['urgent'] },
      { tag: 'B', ruleId: 'b', confidence: 0.9, signals: [] },
    ]);
  });

  it('drops a rule in a message another rule gives the tag it yields to, and still judges its tag', () => {
    const compiled = compileRules(
      validateRuleSet({
        version: 1,
        rules: [
          {
            id: 'marks',
            tag: 'Angry',
            lang: 'zh',
            phrases: ['？？'],
            unlessTagged: ['Urgent'],
            confidence: 0.9,
          },
          { id: 'words', tag: 'Angry', lang: 'zh', phrases: ['垃圾'], confidence: 0.5 },
          { id: 'hurry', tag: 'Urgent', lang: 'zh', phrases: ['今天要'], confidence: 0.8 },
        ],
      }),
    );
    expect(tagsOf('又扣了两次款？？', compiled)).toEqual(['Angry']);
    expect(tagsOf('今天又扣了两次款？？', compiled)).toEqual(['Angry']);
    expect(tagsOf('货呢？？今天要用', compiled)).toEqual(['Urgent']);
    // The lower rule of the same tag is not outranked by a rule that gave way.
    expect(tagText(compiled, '垃圾东西？？今天要用')).toMatchObject([
      { tag: 'Urgent', ruleId: 'hurry' },
      { tag: 'Angry', ruleId: 'words' },
    ]);
    expect(tagsOf('中文？？', defaults)).toEqual(['负面情绪']);
    expect(tagsOf('货到哪了？？今天下午就要用', defaults)).toEqual(['物流', '紧急']);
  });

  it('tags only the first MAX_TAGGED_CHARS characters', () => {
    expect(tagsOf(`${'好'.repeat(MAX_TAGGED_CHARS)} 我要退款`)).toEqual([]);
    expect(tagsOf(`我要退款 ${'好'.repeat(MAX_TAGGED_CHARS)}`)).toEqual(['退款']);
  });
});

describe('rule files', () => {
  const file = (rule: Record<string, unknown>) =>
    JSON.stringify({
      version: 1,
      rules: [{ id: 'ok', tag: 'OK', lang: 'any', keywords: ['ok'], confidence: 0.5 }, rule],
    });
  const base = { id: 'vip.ask', tag: '大客户', lang: 'zh', phrases: ['批量采购'], confidence: 0.8 };

  it('names the rule and field of a bad regex, an unknown signal, a missing tag', () => {
    expect(() => parseRuleSet(file({ ...base, regexes: ['(unclosed'] }))).toThrow(
      /rule "vip\.ask" field regexes\[0\]: invalid regular expression/,
    );
    expect(() => parseRuleSet(file({ ...base, signals: ['vip'] }))).toThrow(
      /rule "vip\.ask" field signals\[0\]/,
    );
    const { tag: _, ...noTag } = base;
    expect(() => parseRuleSet(file(noTag))).toThrow(/rule "vip\.ask" field tag/);
    expect(() => parseRuleSet(file({ ...base, id: undefined }))).toThrow(/rule #2 field id/);
    expect(() => parseRuleSet(file({ ...base, keyword: ['x'] }))).toThrow(/rule "vip\.ask"/);
    expect(() => parseRuleSet(file({ ...base, confidence: 2 }))).toThrow(/rule "vip\.ask" field confidence/);
    expect(() => parseRuleSet(file({ ...base, id: 'ok' }))).toThrow(/rule "ok" field id: duplicate/);
    expect(() => parseRuleSet(file({ ...base, unlessTagged: ['紧急'] }))).toThrow(
      /rule "vip\.ask" field unlessTagged\[0\]: no rule gives this tag/,
    );
    expect(() => parseRuleSet(file({ ...base, unlessTagged: ['大客户'] }))).toThrow(
      /field unlessTagged\[0\]: must be another/,
    );
    expect(() => parseRuleSet('{"version": 1, "rules": [')).toThrow(/not JSON/);
  });

  it('refuses regexes prone to catastrophic backtracking', () => {
    expect(() => parseRuleSet(file({ ...base, regexes: ['^(a+)+$'] }))).toThrow(
      /rule "vip\.ask" field regexes\[0\]: .*backtrack/,
    );
    for (const bad of ['(a|aa)*b', '((ab)*c)+', '(\\w+\\s?)*$', '(x+){2,}', '(a)\\1'])
      expect(regexProblem(bad), bad).not.toBeNull();
    for (const fine of ['\\d+件', '(价格|报价)多少', '[a+]+', '(?:ab)?c*', 'x{1,3}'])
      expect(regexProblem(fine), fine).toBeNull();
  });

  it('adds the tags of a custom rule file, with exclusions', () => {
    const compiled = compileRules(
      parseRuleSet(
        file({ ...base, regexes: ['\\d+\\s*台'], exclude: ['不是批量采购'], signals: ['high_intent'] }),
      ),
    );
    expect(tagText(compiled, '我们想批量采购')).toEqual([
      { tag: '大客户', ruleId: 'vip.ask', confidence: 0.8, signals: ['high_intent'] },
    ]);
    expect(tagsOf('要 200 台', compiled)).toEqual(['大客户']);
    expect(tagsOf('我们不是批量采购，就买一个', compiled)).toEqual([]);
    expect(compiled.tags).toEqual(['OK', '大客户']);
  });
});

describe('robustness', () => {
  it('never yields a tag outside the rule set for injection attempts', () => {
    expect(INJECTION_PROMPTS.length).toBeGreaterThanOrEqual(30);
    const allowed = new Set(DEFAULT_RULE_SET.rules.map((r) => r.tag));
    const onlyRule = { id: 'only', tag: '唯一', lang: 'any', keywords: ['vip'], confidence: 1 };
    const custom: RuleSet = parseRuleSet(JSON.stringify({ version: 1, rules: [onlyRule] }));
    for (const prompt of INJECTION_PROMPTS) {
      for (const hit of tagText(defaults, prompt)) expect(allowed, prompt).toContain(hit.tag);
      for (const hit of tagText(compileRules(custom), prompt)) expect(hit.tag).toBe('唯一');
    }
  });

  it('never throws on random or huge strings, and stays fast on them', () => {
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pools = [
      '退款贵急不没投诉合同',
      'refund not no ship',
      ' ，。！\n\t',
      '\ud83d\ude21\ud800\udc00\u200b',
      'ａＢ１',
    ];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const length = Math.floor(random() * (i % 100 === 0 ? 5000 : 80));
      for (let j = 0; j < length; j++) {
        const pool = pools[Math.floor(random() * pools.length)]!;
        s +=
          random() < 0.1
            ? String.fromCharCode(Math.floor(random() * 0xffff))
            : pool[Math.floor(random() * pool.length)];
      }
      expect(() => tagText(defaults, s)).not.toThrow();
    }
    const started = performance.now();
    for (const huge of [
      '退'.repeat(1_000_000),
      'a'.repeat(1_000_000),
      '不'.repeat(500_000),
      '\ud800'.repeat(100_000),
    ])
      expect(() => tagText(defaults, huge)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(500);
  });
});
