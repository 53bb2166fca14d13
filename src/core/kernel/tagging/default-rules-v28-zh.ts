// Rules v2.8 (zh): what the twelfth writers' batch (customers mid-relationship, several things in one message) said
// that v2.7 missed. Written from that batch's training part only, after it was scored.
import { PURCHASE_ZH } from './default-rules-v26-zh.ts';
import type { TagRule } from './rules.ts';

const NUM_ZH = '[0-9一两二三四五六七八九十几百千万]+';
const UNIT_ZH =
  '(个|颗|粒|套|台|斤|箱|盒|罐|包|袋|瓶|件|份|支|条|张|吨|桶|提|双|根|卷|米|公斤|席位|个席位|个账号)';
const NEAR_ZH = '(今天|今晚|明天|明早|明晚|明天一早|明天上午|明天早上|明天下午|后天|中午|下午|晚上)';

// biome-ignore format: term lists read better packed than one per line
export const RULES_V28_ZH: TagRule[] = [
  {
    // A repeat or add-on order said with a verb and a quantity (再来三斤, 还是原规格来两万套, 整两斤, 再开个模块), stock
    // asked for to buy (还有M码吗), a way to pay asked (能走对公吗, 可以月付吗), a trial order (先来一小罐试试).
    id: 'purchase.zh.v28',
    tag: '购买意向',
    signals: ['high_intent'],
    lang: 'zh',
    phrases: ['走对公', '对公转账吗', '可以月付', '能月付', '还是月结', '照旧月结'],
    regexes: [
      `(再|还是|照旧|照样|一样)[^,。!?]{0,8}(来|要|订|拿|整|配|补)${NUM_ZH} ?${UNIT_ZH}`,
      `(来|订|拿|整)${NUM_ZH} ?${UNIT_ZH}`,
      `先(给我)?(来|拿|订|开|要)(一|两|二|三|[0-9]+)?(小)?${UNIT_ZH}[^,。!?]{0,4}试`,
      '还有[^,。!?]{0,6}(码|色的|颜色|库存|现货|stock|货)(吗|没|不)', '还有没得', '还有没有得订',
      '再开(个|一个|[0-9一两三四五六七八九十]+个)', '(想|要)给[^,。!?不没]{1,8}(也)?报(一个|个|名)',
      '(想|要|统一)[^,。!?不没]{0,6}报你们的', '(想|要|准备)给[^,。!?不没]{1,6}挑', '(这周|今天|马上|现在)就升',
      `能不能(先)?(闪送|送|发)${NUM_ZH} ?(个|箱|提|瓶|袋|桶)`,
    ],
    ...PURCHASE_ZH,
    exclude: [...PURCHASE_ZH.exclude, '拉回去'],
    unlessTagged: ['价格异议'],
    confidence: 0.75,
  },
  {
    // Signing a contract going ahead: it is being stamped (走盖章流程, 发我们用印, 周五盖章), a renewal contract in hand.
    id: 'purchase.zh.stamp.v28',
    tag: '购买意向',
    signals: ['high_intent'],
    lang: 'zh',
    phrases: ['发我们用印', '走用印', '安排用印', '走盖章', '盖章流程', '续约合同', '审批走完', '审批通过了', '盖章续上'],
    regexes: [`${NEAR_ZH.slice(0, -1)}|周[一二三四五六日末]|下周)[^,。!?]{0,3}盖章`, '我们续[,。!?]', '服务我们续'],
    negation: true,
    conditional: true,
    confidence: 0.75,
  },
  {
    // Goods sent somewhere (寄四罐到台中, 发昆山二厂, 寄去荃湾), the way they travel (空运, 海运), when shipping starts.
    id: 'delivery.zh.v28',
    tag: '物流',
    lang: 'zh',
    phrases: ['空运', '海运', '陆运', '转运中心', '次日达', '清关', '寄了未', '寄了没', '寄出了吗', '开始发'],
    regexes: [
      `(寄|发|送)${NUM_ZH}${UNIT_ZH}(到|去)`, '(寄|发|送)(到|去|往)[^,。!?]{1,6}(大概|要|几天|多久|店|厂|仓|铺)',
      '(发|寄)到[^,。!?]{1,6}(几天|多久)', '还是(发|寄|送)[^,。!?]{1,3}(厂|仓|店|铺)',
      '地址[^,。!?]{0,2}(写错|填错)', '先送过去',
    ],
    mask: ['发到邮箱', '发到我邮箱', '发我邮箱', '寄回', '拉回去', '回复', '送过来的', '送过来就'],
    exclude: ['发票', '合同', '扫描件', '报价单'],
    hypothetical: false,
    resolved: true,
    confidence: 0.75,
  },
  {
    // A thing in use misbehaving, told by its symptom (时好时坏, 肿起来, 钝得不行, 翘起来, 开不了), and how-to for a
    // feature already bought (在哪里切换, 怎么批量转).
    id: 'aftersales.zh.v28',
    tag: '售后',
    lang: 'zh',
    phrases: [
      '时好时坏', '时灵时不灵', '肿起来', '发红发烫', '翘起来', '钝了', '钝得', '开不到',
      '报500', '又不灵', '颜色都不一样', '两只颜色', '吊牌都没', '进度太快',
    ],
    regexes: ['(这个班|班上|课上|上课)[^,。!?]{0,4}跟不上', '在哪(里|儿)?(切换|设置|修改|改)', '怎么批量', '(这批|这次)[^,。!?]{0,8}比(上一批|上批|上次)[^,。!?]{0,4}(甜|咸|淡|硬|软|差|小)'],
    negation: true,
    conditional: true,
    resolved: true,
    clauseExclude: ['发票', '抬头', '合同'],
    confidence: 0.75,
  },
  {
    // Blame without the standard words: a fault again and again (这周第三回了), things getting worse (越拖越久), false
    // claims (虚假宣传), a change not announced (都没讲), careless staff (一扔就走).
    id: 'complaint.zh.v28',
    tag: '投诉',
    signals: ['complaint'],
    lang: 'zh',
    phrases: ['虚假宣传', '一扔就走', '也没通知', '都没通知', '不会再在你们'],
    regexes: [
      '(这周|这个月|本月|今天|这礼拜)第[二三四五六七八九]?(回|次)了', '越(拖|做|弄)越(久|慢|差|烂)',
    ],
    negation: false,
    resolved: true,
    conditional: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    id: 'negative.zh.v28',
    tag: '负面情绪',
    signals: ['negative'],
    lang: 'zh',
    phrases: ['到底有没有人', '是不是觉得我们'],
    negation: true,
    resolved: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    // Money to come back told without 退: a deposit or card balance taken back, goods hauled back and set off against
    // the next bill, 原路返回.
    id: 'refund.zh.v28',
    tag: '退款',
    signals: ['refund'],
    lang: 'zh',
    phrases: ['原路返回', '原路退', '拉回去'],
    regexes: [
      '(钱|款|保证金|押金|定金|余额)[^,。!?]{0,6}(拿回来|要回来|退回)', '从[^,。!?]{0,6}(货款|对账|账款)[^,。!?]{0,4}扣',
      '(差的|少减的|多付的|多收的)[^,。!?]{0,6}补给我',
    ],
    negation: true,
    resolved: true,
    conditional: true,
    confidence: 0.75,
  },
  {
    // Leaving said as work moving elsewhere (交给/转给另一家, 自己开模做了), orders ending (就不再下了, 不会再放你们这),
    // a shop closing, a course or subscription stopped for good (下学期就不来了, 先停一阵子, 告一段落).
    id: 'churn.zh.v28',
    tag: '流失风险',
    signals: ['churn'],
    lang: 'zh',
    phrases: ['告一段落', '不再下了', '不会再放你们', '不用再帮我们留', '先停一阵', '先停掉', '决定收掉', '就先休息了'],
    regexes: [
      '(转给|交给|换给|改给|放到)[^,。!?]{0,10}(别的|另一家|另外一家|其他|一家)[^,。!?]{0,4}(供应商|厂|家|公司)',
      '(下学期|下个学期|下季度|下个季度|明年|下个月|这学期结束后)[^,。!?]{0,6}就?不(来|报|续|订|上)了',
      '(我们|我|我的)[^,。!?]{0,4}(店|店面|门店|铺子)[^,。!?]{0,6}(就要?关了|要关了|收掉了|不开了)', '不会再在你们[^,。!?]{0,3}下单',
      '自己(开模|生产|来做)', '(之后|以后|后面)的?(货|单子)[^,。!?]{0,6}不用',
    ],
    clauseExclude: ['要不要', '考虑', '犹豫', '在想', '再想', '是不是该', '会不会', '暂时', '预算'],
    negation: false,
    conditional: true,
    confidence: 0.75,
  },
  {
    // Another supplier named by place or kind (佛山那边报到…, 另外一家原料商报的…, 交给东莞那边一家厂).
    id: 'competitor.zh.v28',
    tag: '竞品',
    lang: 'zh',
    phrases: ['另外一家原料商', '另一家原料商', '那边一家厂', '新开了家'],
    regexes: ['那边(报|卖)(到|了|的)?[0-9一两二三四五六七八九]', '(另外一家|另一家|别家)[^,。!?]{0,4}报'],
    confidence: 0.75,
  },
  {
    // Another supplier's quote set against ours (…报的68一包，你们78), asked to match it or give a little.
    id: 'pricing.objection.zh.v28',
    tag: '价格异议',
    lang: 'zh',
    phrases: ['能不能做到差不多', '能做到差不多', '还能不能让', '能不能让一点', '让一点'],
    regexes: ['(报|卖)(的|到|了)?[^,。!?]{0,8}[0-9][^,。!?]{0,6}[,，]你们[^,。!?]{0,3}[0-9两]'],
    negation: true,
    confidence: 0.75,
  },
  {
    id: 'pricing.ask.zh.v28',
    tag: '询价',
    lang: 'zh',
    phrases: ['参考价', 'pricelist', '价目单'],
    regexes: ['报一下[^,。!?]{0,12}价'],
    exclude: ['太贵', '便宜点', '降价', '涨价', '再让'],
    negation: true,
    confidence: 0.75,
  },
  {
    // Time pressure set by a near hour (十二点前, 还有十分钟就, 明早九点…), a person or event waiting now.
    id: 'urgency.zh.v28',
    tag: '紧急',
    signals: ['urgent'],
    lang: 'zh',
    phrases: ['人还在店里', '还在店里坐着', '马上接个电话', '临时不够了', '临时来了'],
    regexes: [
      '([0-9]{1,2}|[一二三四五六七八九十]|十[一二])点(半)?前',
      '还有[0-9一两二三四五六七八九十几半]+(分钟|个小时|小时)就',
      '(明早|明天一早|明天早上|明天上午)[^,。!?]{0,8}(就|要)', '(今晚|现在)(还能找人|有没有人|有人能)',
      '[0-9一二三四五六七八九十]点就(收工|下班|关门|截止)',
    ],
    negation: true,
    resolved: true,
    confidence: 0.75,
  },
  {
    // Not decided yet, said in the customer's own words (拿不准, 心里打鼓, 再琢磨两天, 两边看, 晚点才能答复).
    id: 'hesitation.zh.v28',
    tag: '犹豫',
    lang: 'zh',
    phrases: [
      '拿不准', '打鼓', '没底', '琢磨', '两边看', '我想想', '未谂好', '没谂好', '还在想', '我还在想', '试试再决定',
      '晚点才能', '迟些再覆', '迟点再回', '晚点再回', '不知道适不适合',
    ],
    regexes: ['先[^,。!?]{1,12}看看[^,。!?]{0,8}再说'],
    negation: true,
    confidence: 0.75,
  },
];
