// Rules v2 (issue 25): each error class the evaluation found, with cases written here (none from the eval set).
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules, type RuleSet, tagText, validateRuleSet } from '../../src/core/kernel/tagging/rules.ts';

const defaults = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const tagsOf = (text: string) => tagText(defaults, text).map((h) => h.tag);
const signalsOf = (text: string) => new Set(tagText(defaults, text).flatMap((h) => h.signals));

describe('clause-aware negation on both sides', () => {
  it.each([
    ['我不想退款了，帮我换个码就行', '退款'],
    ['无需退款，补发一个就好', '退款'],
    ['其实也不用投诉，你们改进一下就好', '投诉'],
    ['明年的续费就算了，预算没批', '购买意向'],
    ['续约这事就不了，谢谢', '购买意向'],
    ['We are not renewing this year.', '购买意向'],
    ['There is no need to refund me, the spare part fixed it.', '退款'],
    ["I don't want a refund, just the right size please.", '退款'],
    ['A refund is not needed, a replacement works.', '退款'],
  ])('%s does not give %s', (text, tag) => {
    expect(tagsOf(text)).not.toContain(tag);
  });

  it.each([
    // The negation stays in its own clause: a contrast or punctuation ends it.
    ['我不是很懂这些，但是我要退款', '退款'],
    ['不好意思打扰了，我要退款', '退款'],
    ['The app is not bad, but I want a refund.', '退款'],
    // Someone else refusing is not the customer declining: 不给退 still asks for the money.
    ['你们为什么不给退款？', '退款'],
    ['还没退款吗？都两周了', '退款'],
    ['Returned it a month ago and still no refund.', '退款'],
    // A-not-A asks, it does not deny.
    ['能不能退款？', '退款'],
  ])('%s still gives %s', (text, tag) => {
    expect(tagsOf(text)).toContain(tag);
  });
});

describe('past and resolved events do not alert', () => {
  it.each([
    ['上周申请的退款已经到账了，谢谢你们', '退款'],
    ['投诉的问题已解决，谢谢经理', '投诉'],
    ['之前反映的退货问题处理好了，辛苦', '退款'],
    ['Got my refund this morning, thanks a lot!', '退款'],
    ['The complaint was resolved last week, all good.', '投诉'],
    ['Thanks for fixing the refund so quickly.', '退款'],
  ])('%s does not give %s', (text, tag) => {
    expect(tagsOf(text)).not.toContain(tag);
  });

  it('a new problem after a resolved one still fires', () => {
    expect(tagsOf('上次的退款已经到账了，但是这次的货又坏了，我要退货')).toContain('退款');
  });
});

describe('quoted and meta mentions do not fire', () => {
  it.each([
    ['你们页面上写的“退款”按钮在哪个菜单？', '退款'],
    ['想问下你们的投诉电话是多少，公司要备案', '投诉'],
    ['麻烦发一下退款政策给我看看', '退款'],
    ['Could you send me the refund policy for our files?', '退款'],
    ["What's the complaint hotline number? HR needs it.", '投诉'],
    ['我朋友说你们服务很差，我觉得还好', '负面情绪'],
    ['My friend said you are terrible, I disagree.', '负面情绪'],
  ])('%s does not give %s', (text, tag) => {
    expect(tagsOf(text)).not.toContain(tag);
  });

  it('a customer who means it still fires', () => {
    expect(tagsOf('服务太差了，我要投诉你们')).toContain('投诉');
    // v2.3: a verdict on the service is a complaint; mild words alone no longer give the anger tag.
    expect(tagsOf('Your service is terrible.')).toContain('投诉');
  });
});

describe('English words inside Chinese text', () => {
  it('an English rule term fires inside Chinese text only when marked safe, and only as a whole word', () => {
    // "ship" and "deliver" are not marked safe for mixed text: they name a product here, not a delivery.
    expect(tagsOf('我们的 ship model 那个型号有货吗')).not.toContain('物流');
    // "refund" is marked safe: in Chinese text it still means a refund.
    expect(tagsOf('这个订单帮我 refund 一下')).toContain('退款');
    // Inside a longer English word it is no match at all.
    expect(tagsOf('这个 refundable 的套餐怎么买')).not.toContain('退款');
    expect(tagsOf('Please ship it tomorrow.')).toContain('物流');
  });

  it('a rule that lists a mixed term that is none of its own terms is refused', () => {
    const set = {
      version: 1,
      rules: [{ id: 'x', tag: 'X', lang: 'en', phrases: ['refund'], mixed: ['return'], confidence: 0.5 }],
    };
    expect(() => validateRuleSet(set)).toThrow(/rule "x" field mixed\[0\]/);
  });
});

describe('churn risk and stop-contact', () => {
  it.each([
    '今年的年费我们不续了，已经找了别的服务商',
    '下个季度开始改用别家的系统，账号到期就注销',
    '我們決定不續約了',
    "We won't be renewing after March.",
    'Please close my account, we moved to another provider.',
  ])('%s gives 流失风险 with the churn signal', (text) => {
    expect(tagsOf(text)).toContain('流失风险');
    expect(signalsOf(text).has('churn')).toBe(true);
  });

  it.each([
    '以后别再联系我了',
    '请不要再给我打电话推销',
    '退订',
    'Stop contacting me.',
    'Please unsubscribe me from these messages.',
    '这个 unsubscribe 怎么操作',
  ])('%s gives 勿扰请求 with the stop_contact signal', (text) => {
    expect(tagsOf(text)).toContain('勿扰请求');
    expect(signalsOf(text).has('stop_contact')).toBe(true);
  });

  it('a polite "not now" is neither churn nor stop-contact', () => {
    for (const text of ['现在不方便，晚点再聊', 'Not now, maybe next month.']) {
      expect(tagsOf(text)).not.toContain('流失风险');
      expect(tagsOf(text)).not.toContain('勿扰请求');
    }
  });
});

describe('anger phrasings', () => {
  it.each([
    '你们到底在搞什么？？？',
    '真是服了，受够了你们',
    'This is a joke, I am so done with you people.',
    'Honestly fed up with this.',
  ])('%s gives 负面情绪', (text) => {
    expect(tagsOf(text)).toContain('负面情绪');
  });

  it('hesitation and price pushback no longer raise the anger signal', () => {
    expect(signalsOf('太贵了，我再考虑一下').has('negative')).toBe(false);
  });
});

describe('rule files', () => {
  it('keeps an old rule file (no v2 fields) valid and behaving as written', () => {
    const old: RuleSet = {
      version: 1,
      rules: [{ id: 'old', tag: '旧', lang: 'zh', phrases: ['发票'], negation: true, confidence: 0.5 }],
    };
    const compiled = compileRules(validateRuleSet(old));
    expect(tagText(compiled, '请开发票').map((h) => h.tag)).toEqual(['旧']);
    expect(tagText(compiled, '不用开发票了')).toEqual([]);
  });

  it('refuses unknown fields and applies mask and resolved from a custom rule', () => {
    expect(() =>
      validateRuleSet({
        version: 1,
        rules: [{ id: 'a', tag: 'A', lang: 'zh', phrases: ['x'], confidence: 1, negate: true }],
      }),
    ).toThrow(/rule "a"/);
    const compiled = compileRules(
      validateRuleSet({
        version: 1,
        rules: [
          {
            id: 'm',
            tag: '维修',
            lang: 'zh',
            phrases: ['维修'],
            mask: ['维修电话'],
            resolved: true,
            confidence: 0.5,
          },
        ],
      }),
    );
    expect(tagText(compiled, '机器要维修')).toHaveLength(1);
    expect(tagText(compiled, '维修电话多少')).toHaveLength(0);
    expect(tagText(compiled, '维修已经处理好了')).toHaveLength(0);
  });
});
