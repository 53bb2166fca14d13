// Rules v2.1 (issue 25, recall on unseen text): each class of phrasing the rules now read, and the precision guards
// that came with it, with cases written here (none from the evaluation set).
import { describe, expect, it } from 'vitest';
import { alertPlan } from '../../src/core/kernel/tagging/alert-policy.ts';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules, tagText, validateRuleSet } from '../../src/core/kernel/tagging/rules.ts';

const defaults = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const tagsOf = (text: string) => tagText(defaults, text).map((h) => h.tag);

describe('classes of phrasing read beyond the terms the rules were written from', () => {
  it.each([
    // complaints: cheated, ignored, failing again, verdicts, escalation
    ['你们这也太坑了吧，说好的赠品呢', '投诉'],
    ['客服爱答不理的，给我一个说法', '投诉'],
    ['有没有搞错，怎么又发错了', '投诉'],
    ['Why is my account still locked? I emailed you on Monday.', '投诉'],
    ['This is the third time the order came late.', '投诉'],
    ['You guys are a joke. Nobody ever answers the phone.', '投诉'],
    ['The lipstick looks nothing like the picture.', '投诉'],
    // anger: colloquial Chinese, English swearing and exasperation
    ['气死我了，客服一直不回消息', '负面情绪'],
    ['what the hell is going on with my order', '负面情绪'],
    ["I'm sick and tired of chasing you", '负面情绪'],
    // churn: not renewing, switching, cancelling, leaving
    ['明年不续了，换一家', '流失风险'],
    ['我们决定终止合作', '流失风险'],
    ["I'm cancelling my subscription at the end of the month.", '流失风险'],
    ["We've decided to go with another provider next quarter.", '流失风险'],
    ["We'll take our business elsewhere if this isn't fixed.", '流失风险'],
    // competitors: another supplier or brand, a rival's offer
    ['别的品牌同样的配置才两千', '竞品'],
    ['人家那边报价便宜三百', '竞品'],
    ['Another supplier can do it for less.', '竞品'],
    // after-sales: broken, not working, how to use
    ['面膜用了脸上长痘了', '售后'],
    ['打印机连不上wifi', '售后'],
    ["Our students can't log into the portal", '售后'],
    ['How do I reset the admin password?', '售后'],
    // urgency: deadlines and time pressure
    ['急！客户在等着，马上给我处理', '紧急'],
    ['下班前务必给我回复', '紧急'],
    ['Class starts in 10 minutes and nobody can log in!', '紧急'],
    ['Please deliver by Friday, the shop opens Saturday.', '紧急'],
  ])('%s gives %s', (text, tag) => {
    expect(tagsOf(text)).toContain(tag);
  });
});

describe('what keeps precision', () => {
  it.each([
    // thanks and jokes are not anger
    ['Thanks again! See you next week.', '负面情绪'],
    ['Thanks again! See you next week.', '投诉'],
    ['Haha just joking, the tea is lovely.', '负面情绪'],
    ['呵呵好的，谢谢老师', '负面情绪'],
    // a condition is not an event
    ['如果以后不续费，数据会保留多久？', '流失风险'],
    ['If the screen is cracked on arrival what do I do?', '售后'],
    // someone else's words, in their clause
    ['我闺蜜说要找你们退款，我觉得没必要', '退款'],
    ['My husband said he wanted to complain, but honestly it is fine.', '投诉'],
    // settled, and other meanings of a word
    ['Refund received, thank you for being so quick!', '退款'],
    ['上次投诉那个事你们处理得挺好的，没事了', '投诉'],
    ['app一直闪退，登不上去', '退款'],
    ['Can we switch to annual billing?', '流失风险'],
    ['Is there a cancellation fee?', '流失风险'],
    ['How long is the warranty on the VMC-850?', '售后'],
    ["I'd love a free trial before we decide.", '购买意向'],
    ['暑假班有早鸟价吗？几号截止', '紧急'],
    ['Thanks for replying so quickly!', '紧急'],
    ['We have a drawing competition next week.', '竞品'],
    ['我们在用你们的系统，想加几个账号', '竞品'],
  ])('%s does not give %s', (text, tag) => {
    expect(tagsOf(text)).not.toContain(tag);
  });

  // v2.3: the labeling guide's angry is anger or strong frustration, so mild disappointment no longer gets the tag.
  it('mild disappointment is neither the anger tag nor an at-once alert', () => {
    for (const text of ['说实话有点失望', 'Honestly a bit disappointed.']) {
      expect(tagsOf(text)).not.toContain('负面情绪');
      expect(alertPlan(tagText(defaults, text)).atOnce).toEqual([]);
    }
    expect(alertPlan(tagText(defaults, '气死我了')).atOnce.map((a) => a.signal)).toEqual(['negative']);
  });

  it('a rule outranked for its tag is not judged, and the tag names the rule that outranks it', () => {
    // complaint.zh (0.95) and complaint.zh.classes (0.9) both read this; the hit names the v2 rule.
    const hit = tagText(defaults, '你们就是骗子，太坑了').find((h) => h.tag === '投诉');
    expect(hit?.ruleId).toBe('complaint.zh');
    expect(alertPlan(tagText(defaults, '你们这也太坑了吧')).atOnce.map((a) => a.signal)).toEqual([
      'complaint',
    ]);
  });
});
