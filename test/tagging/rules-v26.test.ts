// Rules v2.6 (issue 25): the weakest labels told without the standard words. Cases written here, none from the
// evaluation set; each asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { fires, oneRule, tagsOf } from './shipped-tags.ts';

describe('buying said without "buy"', () => {
  it('a quantity asked for, a repeat order, an approval given', () => {
    expect(tagsOf('黑糖珍珠要三箱，还是送店里')).toContain('购买意向');
    expect(tagsOf('财务那边批了，合同我们走流程')).toContain('购买意向');
    expect(tagsOf('same again as last month please, 40 tins')).toContain('购买意向');
    expect(tagsOf("ok we're in, where do I send the deposit?")).toContain('购买意向');
  });

  it('but not a quantity being sent back or a refund', () => {
    expect(tagsOf('要三箱的钱退回来，货我已经寄回去了')).not.toContain('购买意向');
  });
});

describe('problems, grievances and leaving in the customer’s own words', () => {
  it('a service result gone wrong, a system that keeps crashing', () => {
    expect(tagsOf('眉毛做成这样我怎么见人，一边粗一边细')).toContain('售后');
    expect(tagsOf('the pump started leaking again two weeks after the service')).toContain('售后');
  });

  it('a broken promise held against the company, sarcasm at it', () => {
    expect(tagsOf('当初拍着胸脯说三天到，现在一周了')).toContain('投诉');
    expect(tagsOf('Lovely. Just lovely. Third wrong order this month.')).toContain('负面情绪');
  });

  it('a customer leaving without saying "cancel"', () => {
    expect(tagsOf('自动续费帮我关掉吧，明年不用了')).toContain('流失风险');
    expect(tagsOf("this week's order will be the last one, we've found a local roaster")).toContain(
      '流失风险',
    );
  });
});

describe('what is not aimed at the company', () => {
  it('venting about one’s own day is no anger or complaint at it', () => {
    expect(tagsOf('气死我了，仓库的人又把货放错了，不关你们事哈，纯吐槽')).not.toContain('负面情绪');
    expect(
      tagsOf('Awful week, the cellar flooded — nothing to do with you, just explaining the delay in paying'),
    ).toEqual(expect.not.arrayContaining(['负面情绪', '投诉']));
  });

  it('is a switch any rule can take (unlessNotAboutUs), for the whole message', () => {
    const angry = { lang: 'zh' as const, phrases: ['气死我了'] };
    expect(fires(oneRule(angry), '气死我了，跟你们没关系')).toBe(true);
    expect(fires(oneRule({ ...angry, unlessNotAboutUs: true }), '气死我了，跟你们没关系')).toBe(false);
    expect(fires(oneRule({ ...angry, unlessNotAboutUs: true }), '气死我了，你们怎么又发错')).toBe(true);
  });

  it('a refund that has landed is settled', () => {
    expect(tagsOf('the refund for the cancelled class landed this morning, thanks')).not.toContain('退款');
    expect(tagsOf('钱已经退了，这事不用再跟了，谢谢')).not.toContain('退款');
  });
});

// Rules v2.7: the eleventh batch's near-misses (a label's words without its meaning). Cases written here.
describe('near-misses that carry no label', () => {
  it('a department, a past order, a quote the customer received', () => {
    expect(tagsOf('我已经转给我们物流部了，他们会联系你')).not.toContain('物流');
    expect(tagsOf('forwarded your deck to purchasing, they handle vendor onboarding')).not.toContain(
      '购买意向',
    );
    expect(tagsOf('quote收到了，谢谢，我们内部看一下')).not.toContain('询价');
  });

  it('a joke, praise written loudly, anger at oneself', () => {
    expect(tagsOf('我要投诉！你们新出的杨枝甘露太好喝了！！开玩笑的哈哈')).not.toContain('投诉');
    expect(
      tagsOf("so mad at myself, left the serum in the car all day. anyway it's still fine"),
    ).not.toContain('负面情绪');
  });

  it('one appointment moved, not the service left', () => {
    expect(tagsOf("need to cancel tomorrow's call, can we reschedule to friday?")).not.toContain('流失风险');
  });
});
