// Rules v2.4 (issue 25): Cantonese negators, another person's experience read as reported, straight single quotes
// naming a word, more resolved events, Chinese rules' Latin terms kept to Chinese text, and clauses asking not to be
// contacted. Cases written here, none from the evaluation set; each asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { fires, oneRule, tagsOf } from './shipped-tags.ts';

describe('Cantonese negators', () => {
  const refund = oneRule({ lang: 'zh', phrases: ['退钱', '投诉'], negation: true });

  it('唔 and 冇 cancel a match like 不 and 没', () => {
    expect(fires(refund, '我唔係要退錢，想問點用')).toBe(false);
    expect(fires(refund, '我冇投訴過你哋')).toBe(false);
    expect(fires(refund, '即刻退錢俾我')).toBe(true);
  });

  it('in the shipped rules too', () => {
    expect(tagsOf('唔係投訴呀，想問下聽日幾點開門')).not.toContain('投诉');
    expect(tagsOf('呢部機壞咗，我要退錢')).toContain('退款');
  });
});

describe("another person's experience is reported, not the customer's own", () => {
  it('in Chinese', () => {
    expect(tagsOf('我表姐上次在你们这退了一张卡，说挺顺利的，我想办一张')).not.toContain('退款');
    expect(tagsOf('我在你们这买的卡想退掉，退钱给我')).toContain('退款');
  });

  it('in English', () => {
    expect(
      tagsOf('my sister got her money back from you last year, so I trust you. can I book a facial?'),
    ).not.toContain('退款');
    expect(tagsOf('I want my money back for the facial')).toContain('退款');
  });
});

describe('straight single quotes name a word', () => {
  const complaint = oneRule({ lang: 'en', phrases: ['complaint'] });

  it('a quoted name of a form or button does not count; apostrophes do not open a quote', () => {
    expect(fires(complaint, "where is the 'complaint' form on your site?")).toBe(false);
    expect(fires(complaint, "I don't like this, it's a complaint")).toBe(true);
    expect(fires(complaint, "customers' complaint about the delay")).toBe(true);
  });

  it('a quoted Chinese word after a Chinese character counts as quoted', () => {
    const zh = oneRule({ lang: 'zh', phrases: ['投诉'] });
    expect(fires(zh, "群里说的那个'投诉建议'表格在哪")).toBe(false);
    expect(fires(zh, '我要投诉你们的店员')).toBe(true);
  });
});

describe('more events read as resolved', () => {
  it('a refund that reached the card, a fault fixed by an update', () => {
    expect(tagsOf('the refund hit my card this morning, thanks!')).not.toContain('退款');
    expect(tagsOf('the refund is still not in my account, please refund me')).toContain('退款');
    expect(tagsOf('系统报错的问题更新版本后就好了，谢谢')).not.toContain('售后');
    expect(tagsOf('系统一直报错，打不开')).toContain('售后');
  });

  it('asking to handle something quickly is not a settled event', () => {
    expect(tagsOf('麻烦处理快一点，我要退款')).toContain('退款');
  });
});

describe("a Chinese rule's Latin terms need Chinese text", () => {
  const zh = oneRule({ lang: 'zh', phrases: ['bug'] });

  it('fires in mixed Chinese text, not in an English message', () => {
    expect(fires(zh, '这个 bug 什么时候修')).toBe(true);
    expect(fires(zh, 'thanks for fixing the bug')).toBe(false);
  });

  it('Filipino "po" is no purchase order in English; a PO is', () => {
    expect(tagsOf('good evening po, can I bring my daughter to the class?')).not.toContain('合同');
    expect(tagsOf('PO 8812 attached, pls confirm')).toContain('合同');
    expect(tagsOf('下个月的po我们下周发')).toContain('合同');
  });
});

describe('a clause asking not to be contacted about something does not want it', () => {
  it('offers and renewals named in a do-not-contact request are not price questions or purchases', () => {
    expect(tagsOf('别再推优惠活动给我了')).not.toContain('询价');
    expect(tagsOf('please stop sending me renewal offers')).not.toContain('购买意向');
    expect(tagsOf('有什么优惠活动吗')).toContain('询价');
    expect(tagsOf('I want to renew for another year')).toContain('购买意向');
  });

  it('an urgent refund with 别再拖了 still asks for the refund', () => {
    expect(tagsOf('别再拖了赶紧退款')).toContain('退款');
  });

  it('is a switch any rule can take (unlessAskedNotToContact), in its own clause only', () => {
    const offers = { lang: 'any' as const, phrases: ['优惠', 'offers'] };
    const withSwitch = oneRule({ ...offers, unlessAskedNotToContact: true });
    expect(fires(withSwitch, '别再推优惠了')).toBe(false);
    expect(fires(withSwitch, 'stop sending me offers')).toBe(false);
    expect(fires(withSwitch, '别再推了，不过这个月有什么优惠')).toBe(true);
    expect(fires(oneRule(offers), '别再推优惠了')).toBe(true);
  });
});
