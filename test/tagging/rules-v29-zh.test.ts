// Rules v2.9 (zh): alerts an owner must hear at once, and look-alikes that must not ping a rep. Cases written here,
// none from the evaluation set; each asserts the tags a rep would see.
import { describe, expect, it } from 'vitest';
import { tagsOf } from './shipped-tags.ts';

describe('grievances told as demands or as what they cost the customer', () => {
  it('an explanation, an incident report or a regulator', () => {
    expect(tagsOf('培训做完了效果一般，领导让我找你们要一个解释')).toContain('投诉');
    expect(tagsOf('再不处理我们就去找市场监督管理局了')).toContain('投诉');
    expect(tagsOf('我领导刚才问我当初为什么选你们这家软件')).toContain('投诉');
  });

  it('scorn at the company is anger', () => {
    expect(tagsOf('消息发了三天没人回，你们是放假了吗？')).toContain('负面情绪');
    expect(tagsOf('退订了还在扣钱，你们这退订按钮是装饰用的吧')).toEqual(
      expect.arrayContaining(['投诉', '负面情绪', '退款']),
    );
  });
});

describe('money back and leaving without the standard words', () => {
  it('a chargeback, a price difference, a leftover balance after a move', () => {
    expect(tagsOf('一直没发货，我已经去银行申请拒付了')).toContain('退款');
    expect(tagsOf('前天买的吸尘器今天降了两百，差价可以补给我吗')).toContain('退款');
    expect(tagsOf('下个月调去外地上班了，以后过不来了，卡里还有八次没做的怎么处理')).toContain('流失风险');
  });

  it('orders ending or the autopay stopped', () => {
    expect(tagsOf('我们的店月底关门，以后就不从你这拿货了')).toContain('流失风险');
    expect(tagsOf('这期上完就不再报了，麻烦帮我关掉自动续费')).toContain('流失风险');
  });
});

describe('time pressure from a near event, and what only sounds urgent', () => {
  it('an event at a near hour with the goods not here', () => {
    expect(tagsOf('晚上七点开始年会，订的横幅还没到')).toContain('紧急');
  });

  it('a meeting next week or one’s own rush is not urgent, laughter is not anger', () => {
    expect(tagsOf('下礼拜三上午十点有个验收会，记得带资料')).not.toContain('紧急');
    expect(tagsOf('急死了 明天要交房 跟你们没关系哈 柜子按原计划下周送')).not.toContain('紧急');
    expect(tagsOf('哈哈笑死，我妈用了你们的面霜天天照镜子')).not.toContain('负面情绪');
  });
});
