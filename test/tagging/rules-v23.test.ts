// Rules v2.3 (issue 25): shouting read from the text as typed, excludes that reach only their own clause, conditions
// (如果…/…的话/if…) read as questions about policy, and everyday words no longer taken as complaints or churn. Cases
// written here, none from the evaluation set; each asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { fires, oneRule, tagsOf } from './shipped-tags.ts';

describe('shouting: a rule can ask for a clause typed in capitals', () => {
  const shout = oneRule({ lang: 'en', phrases: ['unacceptable', 'where is my'], shout: true });

  it('fires on a shouted clause and not on the same words in normal case', () => {
    expect(fires(shout, 'THIS IS UNACCEPTABLE')).toBe(true);
    expect(fires(shout, 'Hello?? WHERE IS MY PARCEL')).toBe(true);
    expect(fires(shout, 'This is unacceptable')).toBe(false);
    expect(fires(shout, 'where is my parcel')).toBe(false);
  });

  it('needs the clause in capitals, not one word or an acronym', () => {
    expect(fires(shout, 'Honestly this is UNACCEPTABLE for us')).toBe(false);
    expect(fires(shout, 'UNACCEPTABLE')).toBe(true);
    expect(fires(shout, 'Sorry, where is my FOB quote in USD')).toBe(false);
  });

  it('does not shout where lower-casing moved positions (fails closed)', () => {
    // İ lower-cases to two code units, so the typed text no longer lines up with the normalized one.
    expect(fires(shout, 'İSTANBUL ORDER: THIS IS UNACCEPTABLE')).toBe(false);
  });

  it('gives the anger tag to shouted complaints in the shipped rules, not to shouted orders', () => {
    expect(tagsOf('WHERE IS MY ORDER')).toContain('负面情绪');
    expect(tagsOf('WHY DOES NOBODY ANSWER THE PHONE')).toContain('负面情绪');
    expect(tagsOf('Where is my order?')).not.toContain('负面情绪');
    expect(tagsOf('PLEASE SEND 3 CARTONS TO OUR KL WAREHOUSE')).not.toContain('负面情绪');
    expect(tagsOf('I need it by Friday, the launch is NOW confirmed')).not.toContain('负面情绪');
  });
});

describe('clause excludes cancel a match only in their own clause', () => {
  const inClause = oneRule({ lang: 'en', phrases: ['refund'], clauseExclude: ['not about'] });
  const wide = oneRule({ lang: 'en', phrases: ['refund'], exclude: ['not about'] });

  it('cancels in the same clause only', () => {
    expect(fires(inClause, 'this is not about a refund')).toBe(false);
    expect(fires(inClause, 'this is not about the invoice. I want a refund')).toBe(true);
    expect(fires(inClause, 'not about the invoice, but a refund')).toBe(true);
    expect(fires(wide, 'this is not about the invoice. I want a refund')).toBe(false);
  });

  it('lets 退群 in one clause leave the refund in another standing', () => {
    expect(tagsOf('我要退群，另外把钱退给我')).toContain('退款');
    expect(tagsOf('我要退群')).not.toContain('退款');
    expect(tagsOf('I just upgraded and switched to the annual plan, where is the receipt?')).not.toContain(
      '流失风险',
    );
    expect(tagsOf('We are switching to another vendor next quarter.')).toContain('流失风险');
  });
});

describe('conditions are not events', () => {
  it.each([
    ['如果质量有问题的话可以退吗', '退款'],
    ['衣服不合身的话能退货吗', '退款'],
    ['要是用了过敏，可以退吗？', '退款'],
    ['万一中途坏了，你们管不管修', '售后'],
    ['Can I send it back if the colour is off?', '退款'],
    ['If the blender stops working, will you replace it?', '售后'],
    ['投诉的话找哪个部门', '投诉'],
  ])('%s does not give %s', (text, tag) => {
    expect(tagsOf(text)).not.toContain(tag);
  });

  it.each([
    ['再不发货的话我就投诉你们', '投诉'],
    ['如果今天还不处理，我就去12315投诉', '投诉'],
    ['If this is not sorted by Monday, I want a full refund.', '退款'],
    ['Can you confirm if my return label was sent? The size is wrong, I need to return it.', '退款'],
    ['你们客服说的话根本不算数', '投诉'],
  ])('%s still gives %s', (text, tag) => {
    expect(tagsOf(text)).toContain(tag);
  });

  it('a delivery only supposed is no delivery matter, a delivery asked about under a condition is', () => {
    expect(tagsOf('If the courier is late, is there any compensation in the contract?')).not.toContain(
      '物流',
    );
    expect(tagsOf('万一快递弄丢了，合同里怎么赔？')).not.toContain('物流');
    expect(tagsOf('If I pay tonight, will it ship on Monday?')).toContain('物流');
    expect(tagsOf('今天付款的话几天能到')).toContain('物流');
    expect(tagsOf('如果今天下单明天能送到吗')).toContain('物流');
  });

  it('a condition in its own clause before a threat leaves the threat standing', () => {
    const tags = tagsOf('不给退款的话我就投诉');
    expect(tags).toContain('投诉');
    expect(tags).not.toContain('退款');
  });
});

describe('everyday words need what makes them a complaint or churn', () => {
  it.each([
    ['前台态度特别好，谢谢你们', '投诉'],
    ['又是周五了，下周再聊', '投诉'],
    ['您稍等，我去问一下财务', '投诉'],
    ['这一批全是新货吗', '投诉'],
    ['卫生纸有整箱卖吗', '投诉'],
    ['迟到五分钟应该没关系吧，我们在路上', '负面情绪'],
    ['好嘞，再见', '流失风险'],
    ['旧的照片我删了，发新的给你', '流失风险'],
    ['会议换到周四下午吧', '流失风险'],
    ['Good job guys, thanks for the quick install!', '投诉'],
    ['You people were super helpful, thanks.', '负面情绪'],
    ['We are moving our office to Penang, please update the address.', '流失风险'],
    ['Is there a warranty on the grinder?', '售后'],
    ['发票怎么开，抬头写公司', '售后'],
    ['太好了，又降价了！！', '负面情绪'],
  ])('%s does not give %s', (text, tag) => {
    expect(tagsOf(text)).not.toContain(tag);
  });

  it.each([
    ['前台那个态度也太差了吧', '投诉'],
    ['老师总是迟到，一节课少十分钟', '投诉'],
    ['这箱橙子怎么全是烂的', '投诉'],
    ['又是发错货，你们仓库怎么回事', '投诉'],
    ['Well done, the replacement arrived broken too.', '投诉'],
    ['Still no reply from anyone on your team.', '投诉'],
    ['这就是你们的售后？', '负面情绪'],
    ['第三次了！！还是没修好', '负面情绪'],
    ['我们上个月已经换了别家的系统', '流失风险'],
    ['Could you send me a return label please?', '退款'],
    ["We'd like to renew for another two years.", '购买意向'],
    ['Let me check with my manager and come back to you.', '犹豫'],
    ['Can you check the status of my order?', '物流'],
  ])('%s gives %s', (text, tag) => {
    expect(tagsOf(text)).toContain(tag);
  });

  it("someone else's words, even with a time word between, are not the customer's complaint", () => {
    expect(tagsOf('我同事之前说你们的投诉电话打不通，是吗')).not.toContain('投诉');
  });
});
