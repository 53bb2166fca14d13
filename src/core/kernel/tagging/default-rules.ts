// The tag rules Liaison ships for sales teams, as a constant so Workers need no file; `defaultRuleSetJson()` gives
// admins the same set as a rule file to start from. Chinese single characters that misfire as substrings (贵, 退, 急)
// are keywords, matched as whole words; everything else is a phrase.
import type { RuleSet } from './rules.ts';

// biome-ignore format: term lists read better packed than one per line
export const DEFAULT_RULE_SET: RuleSet = {
  version: 1,
  rules: [
    {
      id: 'pricing.ask.zh',
      tag: '询价',
      signals: ['high_intent'],
      lang: 'zh',
      phrases: [
        '多少钱', '多少米', '多少一年', '一年多少', '多少一个', '什么价', '啥价', '价位', '价钱多少',
        '价格多少', '价格是', '价格表', '价目表', '报个价', '求报价', '要报价', '给个报价', '出个报价',
        '发个报价', '报价含', '怎么收费', '怎么卖', '收费标准', '费用多少', '费用怎么', '优惠', '打折',
        '折扣', '几折', '便宜点', '便宜些', '便宜一点', '能便宜', '再便宜', '含税', '单价', '贵不贵', '贵吗',
        '预算只有', '预算多少', '议价',
      ],
      regexes: [
        '\\d+\\s*(块|元|万|k)?\\s*(能|可以)(拿下|成交|卖|做)', '(price|价格|价钱|报价)[^,.!?。]{0,6}多少',
      ],
      confidence: 0.9,
    },
    {
      id: 'pricing.ask.en',
      tag: '询价',
      signals: ['high_intent'],
      lang: 'en',
      phrases: [
        'how much', 'quote', 'quotation', 'pricing', 'price list', 'price for', 'price of',
        "what's the price", 'better price', 'best price', 'lower price', 'discount', 'fee', 'negotiable',
        'rate card', 'cheaper',
      ],
      regexes: ['\\b(what|how much)\\b[^.?!]{0,30}\\bcosts?\\b', '\\bprices?\\b[^.!?]{0,40}\\?'],
      exclude: ['shipping fee', 'delivery fee'],
      confidence: 0.85,
    },
    {
      id: 'pricing.objection.zh',
      tag: '价格异议',
      signals: ['negative'],
      lang: 'zh',
      keywords: ['贵'],
      phrases: [
        '太贵', '好贵', '很贵', '挺贵', '有点贵', '偏贵', '比较贵', '这么贵', '那么贵', '贵了', '贵死',
        '超预算', '超出预算', '预算不够', '价格太高', '报价太高', '比你们便宜', '性价比太低', '买不起',
      ],
      exclude: [
        '贵公司', '贵司', '贵方', '贵单位', '贵姓', '贵阳', '贵州', '贵宾', '宝贵', '珍贵', '贵重', '富贵',
        '贵吗', '贵不贵',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'pricing.objection.en',
      tag: '价格异议',
      signals: ['negative'],
      lang: 'en',
      phrases: [
        'expensive', 'pricey', 'overpriced', 'over budget', 'over our budget', 'out of our budget',
        'beyond our budget', "can't afford", 'cannot afford', 'too much money', 'because of the price',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'purchase.zh',
      tag: '购买意向',
      signals: ['high_intent'],
      lang: 'zh',
      phrases: [
        '想买', '要买', '购买', '下单', '订购', '采购', '付款', '怎么买', '怎么付', '开通', '续费', '续一年',
        '试用', '拍下', '我要了', '就要你们', '就定你们', '升级到', '直接签',
      ],
      regexes: ['买[0-9一二两三四五六七八九十几]+(套|个|台|份|年|件)'],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'purchase.en',
      tag: '购买意向',
      signals: ['high_intent'],
      lang: 'en',
      phrases: [
        'buy', 'purchase', 'place an order', 'place order', 'how do i order', 'want to order',
        'like to order', 'sign up', 'subscribe', 'upgrade to', 'trial', "i'm in", "we'll take",
        'charge my card', 'where do i pay', 'how do i pay', 'invoice us', 'go ahead',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'contract.zh',
      tag: '合同',
      signals: ['high_intent'],
      lang: 'zh',
      phrases: ['合同', '协议', '签约', '盖章', '用印', '法务', '条款', '直接签', '签字', '可以签', '先签'],
      confidence: 0.9,
    },
    {
      id: 'contract.en',
      tag: '合同',
      signals: ['high_intent'],
      lang: 'en',
      keywords: ['contract', 'agreement', 'msa', 'nda', 'sla', 'terms and conditions', 'docusign', 'e-sign'],
      exclude: ['flu', 'virus', 'covid', 'cold', 'infection', 'disease', 'muscle'],
      confidence: 0.85,
    },
    {
      id: 'delivery.zh',
      tag: '物流',
      lang: 'zh',
      phrases: [
        '发货', '物流', '快递', '单号', '到货', '配送', '运费', '包邮', '送货', '签收', '寄出', '发出',
        '顺丰', '中通', '圆通', '韵达', '申通', '邮政', '运单', '到哪了', '几天到', '能到吗', '什么时候到',
        '收货', '补发',
      ],
      confidence: 0.85,
    },
    {
      id: 'delivery.en',
      tag: '物流',
      lang: 'en',
      phrases: [
        'ship', 'shipping', 'shipment', 'deliver', 'delivery', 'tracking', 'courier', 'parcel', 'arrive',
        'dispatch', 'fedex', 'dhl', 'postage', 'in transit', 'customs',
      ],
      confidence: 0.85,
    },
    {
      id: 'aftersales.zh',
      tag: '售后',
      lang: 'zh',
      phrases: [
        '售后', '坏了', '维修', '修一下', '保修', '质保', '换货', '换新', '退换', '安装', '上门', '故障',
        '报错', '打不开', '开不了机', '用不了', '不能用', '登录不上', '登不上', '闪退', '卡死', '死机',
        '质量问题', '质量有问题', '出问题', '划痕', '破损', '没解决', '少发', '漏发', '缺件', 'bug',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'aftersales.en',
      tag: '售后',
      lang: 'en',
      phrases: [
        'broken', 'not working', 'stopped working', "doesn't work", "won't turn on", 'repair', 'warranty',
        'replacement', 'defective', 'crash', 'bug', 'error', 'fix it', 'troubleshoot', 'support ticket',
        'installation', 'cracked', 'damaged',
      ],
      confidence: 0.85,
    },
    {
      id: 'complaint.zh',
      tag: '投诉',
      signals: ['complaint', 'negative'],
      lang: 'zh',
      phrases: [
        '投诉', '12315', '消协', '消费者协会', '曝光', '差评', '举报', '维权', '工商局', '市场监管', '315',
        '找你们领导', '找你们老板', '跟你们领导', '向你们领导',
      ],
      negation: true,
      confidence: 0.95,
    },
    {
      id: 'complaint.en',
      tag: '投诉',
      signals: ['complaint', 'negative'],
      lang: 'en',
      phrases: [
        'complaint', 'complain', 'report you', 'bbb', 'escalate', 'your manager', 'your supervisor',
        'consumer protection', 'legal action', 'lawyer',
      ],
      negation: true,
      confidence: 0.9,
    },
    {
      id: 'refund.zh',
      tag: '退款',
      signals: ['refund'],
      lang: 'zh',
      keywords: ['退'],
      phrases: [
        '退款', '退钱', '退费', '退货', '退回', '退掉', '全额退', '退全款', '退给我', '能退', '退一下',
        '返还',
      ],
      exclude: ['退出', '退群', '退订', '撤退', '退休', '后退', '退役', '减退', '退烧', '进退', '退步'],
      confidence: 0.95,
    },
    {
      id: 'refund.en',
      tag: '退款',
      signals: ['refund'],
      lang: 'en',
      phrases: [
        'refund', 'money back', 'return it', 'return this', 'return the', 'my return', 'return policy',
        'chargeback', 'reimburse', 'cancel my subscription', 'cancel my order',
      ],
      confidence: 0.9,
    },
    {
      id: 'competitor.zh',
      tag: '竞品',
      lang: 'zh',
      phrases: [
        '竞品', '别家', '其他家', '其它家', '别的家', '好几家', '几家对比', '货比三家', '竞争对手', '同行',
        '对比', '纷享销客', '销售易', '尘锋', '微伴', '企微管家', '探马', '句子互动', '红圈', '悟空crm',
        '励销',
      ],
      confidence: 0.8,
    },
    {
      id: 'competitor.en',
      tag: '竞品',
      lang: 'en',
      phrases: [
        'competitor', 'other vendors', 'another vendor', 'other providers', 'vendors', 'comparing',
        'compare to', 'compared to', 'compare with', 'alternatives', 'salesforce', 'hubspot', 'zoho',
        'pipedrive', 'freshsales',
      ],
      confidence: 0.8,
    },
    {
      id: 'urgency.zh',
      tag: '紧急',
      signals: ['urgent'],
      lang: 'zh',
      keywords: ['急'],
      phrases: [
        '紧急', '着急', '急用', '加急', '急急', '急死', '尽快', '赶紧', '马上处理', '立刻', '立即',
        '今天必须', '今天之内', '今天就要', '火急', '越快越好', '等着用', '催一下', '快点', '很急', '挺急', '比较急',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'urgency.en',
      tag: '紧急',
      signals: ['urgent'],
      lang: 'en',
      phrases: [
        'urgent', 'urgently', 'asap', 'as soon as possible', 'right away', 'immediately', 'emergency',
        'hurry', 'rush', 'time-sensitive', 'time sensitive', 'by eod', 'at the latest',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'negative.zh',
      tag: '负面情绪',
      signals: ['negative'],
      lang: 'zh',
      keywords: ['蠢'],
      phrases: [
        '不满', '失望', '太差', '很差', '真差', '差劲', '垃圾', '生气', '气死', '坑爹', '坑人', '被坑',
        '骗子', '骗人', '上当', '恶心', '无语', '离谱', '忍无可忍', '受够了', '一言难尽', '后悔', '糟糕',
        '太烂', '什么破', '搞什么', '什么质量', '再也不买',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'negative.en',
      tag: '负面情绪',
      signals: ['negative'],
      lang: 'en',
      phrases: [
        'terrible', 'awful', 'horrible', 'worst', 'disappointed', 'disappointing', 'angry', 'furious',
        'upset', 'ridiculous', 'unacceptable', 'useless', 'garbage', 'trash', 'scam', 'rip-off', 'ripoff',
        'pathetic', 'frustrated', 'frustrating', 'fed up', 'sick of', 'waste of money',
      ],
      negation: true,
      confidence: 0.85,
    },
    {
      id: 'negative.emoji',
      tag: '负面情绪',
      signals: ['negative'],
      lang: 'any',
      phrases: ['😡', '🤬', '👎', '💢'],
      confidence: 0.7,
    },
    {
      id: 'hesitation.zh',
      tag: '犹豫',
      signals: ['negative'],
      lang: 'zh',
      phrases: [
        '犹豫', '再考虑', '考虑一下', '考虑考虑', '再想想', '想一想', '再看看', '纠结', '回头再说',
        '以后再说', '再说吧', '商量一下', '商量商量', '请示', '内部讨论', '内部评估', '先不考虑',
        '暂时不考虑', '暂时不需要', '还没想好', '不确定', '先等等', '观望',
      ],
      negation: true,
      confidence: 0.8,
    },
    {
      id: 'hesitation.en',
      tag: '犹豫',
      signals: ['negative'],
      lang: 'en',
      phrases: [
        'think about it', 'think it over', 'not sure', 'hesitant', 'hesitate', 'on the fence', 'hold off',
        'get back to you', 'discuss with my boss', 'check with my boss', 'talk to my team', 'circle back',
        'maybe later', 'sleep on it', 'not ready',
      ],
      confidence: 0.8,
    },
  ],
};

/** The default rule set as pretty JSON, for an admin to start a rule file from. */
export function defaultRuleSetJson(): string {
  return `${JSON.stringify(DEFAULT_RULE_SET, null, 2)}\n`;
}
