// Traditional Chinese (Taiwan and Hong Kong writing) is tagged by the same Simplified rules: 這個多少錢 is 询价.
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import {
  compileRules,
  normalizeText,
  tagText,
  validateRuleSet,
} from '../../src/core/kernel/tagging/rules.ts';
import { foldCharsToSimplified, foldToSimplified } from '../../src/core/kernel/text/fold-chinese.ts';
import { HOLDOUT_MESSAGES, LABELED_MESSAGES } from './labeled-messages.ts';

const defaults = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const tagsOf = (text: string) => tagText(defaults, text).map((h) => h.tag);

describe('Traditional Chinese messages', () => {
  it.each([
    ['這個多少錢', ['询价']],
    ['請問怎麼收費？', ['询价']],
    ['可以報個價嗎', ['询价']],
    ['太貴了吧', ['价格异议']],
    ['價格太高，預算不夠', ['价格异议']],
    ['我要退錢', ['退款']],
    ['幾時發貨？單號給我', ['物流']],
    ['部機壞了，要維修', ['售后']],
    ['再考慮一下', ['犹豫']],
    ['我要投訴你們', ['投诉']],
    // Taiwan's 著 (着急, 等着用), Hong Kong's 着 as it is.
    ['我很著急', ['紧急']],
    ['等著用', ['紧急']],
    ['好着急呀', ['紧急']],
  ])('%s → %j, like its Simplified twin', (text, tags) => {
    expect(tagsOf(text)).toEqual(tags);
    expect(tagsOf(foldToSimplified(text))).toEqual(tags);
  });

  it.each(['tw', 'hk'])(
    'tags every labeled message written the %s way as its Simplified original',
    (region) => {
      const write = OpenCC.Converter({ from: 'cn', to: region });
      const messages = [...LABELED_MESSAGES, ...HOLDOUT_MESSAGES].map((m) => m.text);
      const rewritten = messages.filter((text) => write(text) !== text);
      // Most of the set changes when written in Traditional: the test compares something.
      expect(rewritten.length).toBeGreaterThan(messages.length / 2);
      for (const text of rewritten)
        expect([write(text), tagsOf(write(text))]).toEqual([write(text), tagsOf(text)]);
    },
  );

  it('keeps negation and word boundaries: 沒有投訴, 不貴 and 貴公司 earn nothing', () => {
    expect(tagsOf('沒有投訴，謝謝')).toEqual([]);
    expect(tagsOf('不貴')).toEqual([]);
    expect(tagsOf('貴公司的產品')).toEqual([]);
    expect(tagsOf('退出羣聊')).toEqual([]);
    expect(tagsOf('貴不貴')).toEqual(['询价']);
  });

  it('keeps positions in line where a character folds to a longer one (a supplementary-plane character)', () => {
    // 䥕 folds to 𬭯: one UTF-16 unit becomes two, and every position after it moves by one.
    expect(normalizeText('䥕貴')).toBe('𬭯贵');
    expect(tagsOf('䥕不貴')).toEqual([]);
    expect(tagsOf('䥕 很貴')).toEqual(['价格异议']);
    expect(tagsOf('䥕貴公司')).toEqual([]);
    expect(tagsOf(`${'䥕'.repeat(30)}我要退錢`)).toEqual(['退款']);
  });

  it('leaves Simplified, Latin and emoji text as it is', () => {
    for (const m of [...LABELED_MESSAGES, ...HOLDOUT_MESSAGES]) expect(foldToSimplified(m.text)).toBe(m.text);
    const terms = DEFAULT_RULE_SET.rules.flatMap((r) => [...(r.keywords ?? []), ...(r.phrases ?? [])]);
    for (const t of terms) expect(foldToSimplified(t)).toBe(t);
    // 什么, 这么 and a lone 么 stay (Taiwan's table would read 么 as 幺).
    expect(foldToSimplified('什么 这么贵 为么 么')).toBe('什么 这么贵 为么 么');
  });
});

describe('folding Taiwan and Hong Kong variants', () => {
  it.each([
    ['這裡', '这里'],
    ['這裏', '这里'],
    ['看著', '看着'],
    ['臺灣', '台湾'],
    ['台灣', '台湾'],
    ['下週', '下周'],
    ['溫度', '温度'],
    ['綫上', '线上'],
    ['羣組', '群组'],
    ['說明', '说明'],
    ['説明', '说明'],
  ])('%s → %s, in running text and character by character', (traditional, simplified) => {
    expect(foldToSimplified(traditional)).toBe(simplified);
    expect(foldCharsToSimplified(traditional)).toBe(simplified);
  });

  it('reads running text in context, and folds the same twice as once', () => {
    expect(foldToSimplified('回覆')).toBe('回复');
    expect(foldToSimplified('乾淨')).toBe('干净');
    expect(foldToSimplified('乾隆')).toBe('乾隆');
    for (const text of ['這個多少錢', '陳偉', '臺灣下週', '乾淨']) {
      expect(foldToSimplified(foldToSimplified(text))).toBe(foldToSimplified(text));
      expect(foldCharsToSimplified(foldCharsToSimplified(text))).toBe(foldCharsToSimplified(text));
    }
  });

  it('folds character by character so a part of a name folds as it does inside the name', () => {
    const name = foldCharsToSimplified('乾隆陳偉');
    for (const part of ['乾', '隆陳', '陳偉', '偉']) expect(name).toContain(foldCharsToSimplified(part));
  });

  it('returns text without Chinese as it was', () => {
    for (const text of ['', 'How much is it?', '13812345678', '😡👎']) {
      expect(foldToSimplified(text)).toBe(text);
      expect(foldCharsToSimplified(text)).toBe(text);
    }
  });
});
