// Rules v2.2 (issue 25, precision and recall on unseen text): the classes of phrasing added and the guards that came
// with them, with cases written here (none from the evaluation set), each asserting the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { alertPlan } from '../../src/core/kernel/tagging/alert-policy.ts';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules, tagText, validateRuleSet } from '../../src/core/kernel/tagging/rules.ts';

const defaults = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const tagsOf = (text: string) => tagText(defaults, text).map((h) => h.tag);

describe('new classes of phrasing give the tag', () => {
  it.each([
    // English complaints: verdicts, being left waiting, chasing, sarcasm
    ['Honestly not impressed, the stitching came loose after one wash.', '投诉'],
    ["I've emailed you three times and nobody replied.", '投诉'],
    ['Been waiting for over two weeks for a callback.', '投诉'],
    ['Oh great, another late delivery.', '投诉'],
    // English anger
    ['This is daylight robbery, shame on you.', '负面情绪'],
    ["For god's sake, answer the phone.", '负面情绪'],
    // English churn, after-sales, urgency, price pushback
    ['We have decided not to renew when the term ends.', '流失风险'],
    ['Please cancel the remaining sessions, we are done.', '流失风险'],
    ['The blender smells of burning and then shuts off.', '售后'],
    ['I ordered the navy one, got a grey one.', '售后'],
    ['The launch is in 2 hours and the dashboard is blank, please hurry.', '紧急'],
    ['Our line is down, we need a technician.', '紧急'],
    ["That's a bit steep for us, can you come down a little?", '价格异议'],
    ['Can you do $450 instead?', '价格异议'],
    // Chinese complaints, anger, pushback, purchase, after-sales, competitors
    ['问了好几次了都没人回我，太敷衍了', '投诉'],
    ['等了两个小时还没轮到我', '投诉'],
    ['你们这帮人还要不要脸', '负面情绪'],
    ['靠北喔，又给我寄错', '负面情绪'],
    ['为什么你们要卖三百多', '价格异议'],
    ['能不能抹个零，老顾客了', '价格异议'],
    ['老规矩，周五送十箱矿泉水过来', '购买意向'],
    ['我们决定续约两年', '购买意向'],
    ['帮我订两张周六下午的位', '购买意向'],
    ['收到的腊肠是二手的吧，包装被拆过', '售后'],
    ['那个自动提醒的功能在哪里设置', '售后'],
    ['我们之前一直用的是西门子的变频器', '竞品'],
    ['人家那边才卖八十', '竞品'],
  ])('%s → %s', (text, tag) => {
    expect(tagsOf(text)).toContain(tag);
  });
});

describe('what keeps precision', () => {
  it.each([
    // past orders and payments name what happened, not a wish to buy
    ['上周购买的面膜用了过敏', '购买意向'],
    ['已付款了，什么时候发货', '购买意向'],
    ['账号开通不了，一直报错', '购买意向'],
    // only bargaining or complaining about price is pushback, not a price question
    ['太贵了吧，别家便宜一半', '询价'],
    ['That quote is too high for us.', '询价'],
    // pre-sale questions about service are not after-sales problems
    ['你们包安装吗？保修多久', '售后'],
    ['能上门量尺寸吗', '售后'],
    // a contract named as what ends is churn, not paperwork to do
    ['合同到期我们就不续了', '合同'],
    // everyday words that only look like the classes
    ['Just a quick question, how fast can you ship to Penang?', '紧急'],
    ['The tea tastes like peaches, lovely.', '投诉'],
    ['How long should I steep it?', '价格异议'],
    ['这件一点都不贵，我很喜欢', '投诉'],
    ['我们有几家门店，想统一进货', '竞品'],
    ['哈哈这个视频好搞笑', '负面情绪'],
    ['我现在用的版本是旧的，怎么升级', '竞品'],
    ['急急急！！今天必须发出', '负面情绪'],
  ])('%s does not give %s', (text, tag) => {
    expect(tagsOf(text)).not.toContain(tag);
  });

  it('disappointment is not anger (v2.3), and a verdict on quality is a complaint only', () => {
    expect(tagsOf('说实话有点失望')).not.toContain('负面情绪');
    expect(tagsOf('这质量也太差了吧')).toEqual(['投诉']);
  });

  it('a space between Chinese clauses ends the clause, so a negation before it governs nothing after it', () => {
    expect(tagsOf('没事 不用退款 就是那个导出功能怎么开')).toContain('售后');
    expect(tagsOf('没事 不用退款 就是那个导出功能怎么开')).not.toContain('退款');
    expect(tagsOf('不用退款')).not.toContain('退款');
  });

  it('negated and conditional phrasings stay quiet', () => {
    expect(tagsOf("We're not going to switch, just checking the price.")).not.toContain('流失风险');
    expect(tagsOf("It's not too expensive, we'll take it.")).not.toContain('价格异议');
    expect(tagsOf('我们不打算续约了')).not.toContain('购买意向');
  });

  it('an angry complaint raises one alert naming the complaint', () => {
    const plan = alertPlan(tagText(defaults, '问了好几次了都没人回，你们还要不要脸'));
    expect(plan.atOnce.map((a) => a.signal)).toEqual(['complaint']);
  });
});
