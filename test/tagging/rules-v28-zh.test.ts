// Rules v2.8 (zh): the twelfth batch's customers mid-relationship. Cases written here, none from the evaluation set;
// each asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { tagsOf } from './shipped-tags.ts';

describe('a repeat order said with a verb and a quantity', () => {
  it('is an order, and where it goes is a delivery matter', () => {
    expect(tagsOf('上回的碧螺春不错，再来四斤，还是寄到南京的店里')).toEqual(
      expect.arrayContaining(['购买意向', '物流']),
    );
  });

  it('but asking for a document is not', () => {
    expect(tagsOf('想要一份你们产品的检测报告，发我邮箱就行')).not.toContain('购买意向');
  });
});

describe('problems, urgency and doubt in the customer’s own words', () => {
  it('a machine that works on and off is after-sales', () => {
    expect(tagsOf('那台包装机的封口温度时好时坏，能安排人来看看吗')).toContain('售后');
  });

  it('praise for a fixed problem is not', () => {
    expect(tagsOf('上次那个漏液的问题你们换了密封圈以后好多了，谢谢')).not.toContain('售后');
  });

  it('a near hour is urgency', () => {
    expect(tagsOf('下午三点前能不能把样品送到公司，客户等着看')).toContain('紧急');
  });

  it('not being sure yet is hesitation', () => {
    expect(tagsOf('这套课程我心里还是没底，让我再琢磨两天')).toContain('犹豫');
  });
});

describe('leaving and money back without the standard words', () => {
  it('work moving to another supplier is churn', () => {
    expect(tagsOf('明年的包材我们转给另一家供应商做了，今年的单子做完就不再下了')).toContain('流失风险');
  });

  it('a deposit taken back is a refund', () => {
    expect(tagsOf('合作结束了，押金什么时候能拿回来')).toContain('退款');
  });

  it('a pause until the budget comes is not churn', () => {
    expect(tagsOf('这个季度预算用完了，暂时不会再下单，等预算下来再说')).not.toContain('流失风险');
  });
});
