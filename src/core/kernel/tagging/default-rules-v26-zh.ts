// Rules v2.6 (zh): what the tenth writers' batch (the weakest labels told without the standard words) said that v2.5
// missed. Written from that batch's training part only, after it was scored.
import { COUNT_ZH } from './default-rules-v25.ts';
import type { TagRule } from './rules.ts';

const MANY_ZH = '[0-9两二三四五六七八九十几百千]+';
const UNIT_ZH = '(包|盒|瓶|箱|袋|罐|杯|支|斤|套|台|件|份|桶|条|吨|饼|张)';

/** How a purchase said in Chinese is read: not in a photo taken (拍照), a return or refund, a negation, a past or
 * conditional order, or a clause asking not to be contacted about it. */
export const PURCHASE_ZH = {
  mask: ['拍了照', '拍照', '拍了张'],
  exclude: ['退回', '退款', '退钱', '多扣'],
  negation: true,
  resolved: true,
  conditional: true,
  unlessAskedNotToContact: true,
} satisfies Partial<TagRule>;

// biome-ignore format: term lists read better packed than one per line
export const RULES_V26_ZH: TagRule[] = [
  {
    // Quantities asked for (要十套, 加两包, 各来两套), repeat orders (老样子, 照这个量), trial orders and plans to buy.
    id: 'purchase.zh.v26',
    tag: '购买意向',
    signals: ['high_intent'],
    lang: 'zh',
    phrases: [
      '试单', '想定下来', '可以报了', '先帮我占', '帮我占一个', '帮我留一个', '还是这个量', '照这个量', '按这个量',
      '老样子一', '老样子来', '还有空吗', '有空位吗', '来杯', '来一杯', '想整体采购', '想批量采购', '开始用专业版', '盖章寄回', '签好寄回',
    ],
    regexes: [
      '(今天|今晚|明天|马上|现在|那我|我)就拍', '\\bpo\\b[^,。!?]{0,8}(发你|发给你|下给你|给你)',
      '(老板|领导|财务|采购)[^,。!?]{0,3}(批了|点头了|同意了)', '(钱|款|定金)[^,。!?]{0,3}(现在|马上|这就|今天)(就)?转',
      '想[^,。!?]{0,6}一起拍', '(下一批|下批)[^,。!?]{0,4}(还是|照|按)',
    ],
    ...PURCHASE_ZH,
    confidence: 0.75,
  },
  {
    // A quantity asked for (要十套, 加两包, 各来两套) is an order, unless it is the lever of a bargain (一个月要拿200箱，能便宜点吗).
    id: 'purchase.zh.quantity',
    tag: '购买意向',
    signals: ['high_intent'],
    lang: 'zh',
    regexes: [
      `要${MANY_ZH} ?${UNIT_ZH}`, `(再|多)?加${MANY_ZH} ?${UNIT_ZH}`, `各(来|要|拿|订)${COUNT_ZH} ?${UNIT_ZH}`,
      '买[0-9一二两三四五六七八九十几]+(套|个|台|份|年|件)',
      '(来|订|拿)[0-9一两二三四五六七八九十几百]+(份|箱|件|斤|盒|套|台|瓶|袋|包|罐|个|张|双|条|吨|桶|支)',
      '(订|来|拿|采购|买|要买|要订)[0-9一二两三四五六七八九十几百千]+(个|套|台|件|箱|份|支|瓶|盒|张|条|吨|公斤|斤|节|课时|个账号|个 ?account)',
    ],
    ...PURCHASE_ZH,
    unlessTagged: ['价格异议'],
    confidence: 0.75,
  },
  {
    // Bad results of a service (一边粗一边细, 做成这样), skin reactions, outages, spare parts, how-to for things in use.
    id: 'aftersales.zh.v26',
    tag: '售后',
    lang: 'zh',
    phrases: [
      '疙瘩', '又痒', '好痒', '痒得', '过敏了', '烂脸', '冒了一片', '做成这个样子', '做成这样', '弄成这样',
      '搞成这样', '这才几天', '才几天就', '没几天就', '崩了', '崩溃', '又崩', '转圈圈', '一直转圈', '登不进', '登录不了',
      '登陆不了', '备件', '原厂配件', '要换了', '没啥变化', '没什么变化', '没有变化', '没啥效果', '没什么效果', '没进步',
      '没有进步', '在哪下载', '在哪里下载', '说明书被', '说明书丢', '要先空烧', '听不懂', '没人吭声',
      '电话没人接',
    ],
    regexes: [
      '一边(粗|细|高|低|大|小|长|短|浓|淡|深|浅|厚|薄)一边', '(左边|右边|左眼|右眼)[^,。!?]{0,3}(高|低|粗|细|长|短|大|小)',
      '(睫毛|头发|指甲|甲片|钻)[^,。!?]{0,6}掉', '(一周|一天|每天|经常|老是|总是|天天|又)[^,。!?]{0,3}崩',
      '怎么[^,。!?]{1,4}(导出|导入|设置|绑定|同步|安装)', '修(过|了)[^,。!?]{0,4}(次|回|遍)', '又(卡|坏|漏|崩|断)',
    ],
    mask: ['听不懂中文'],
    negation: true,
    conditional: true,
    resolved: true,
    clauseExclude: ['发票', '抬头', '合同'],
    confidence: 0.75,
  },
  {
    // Blame told without the standard words: broken promises, suspected tricks, sarcasm, quality gone down, threats.
    id: 'complaint.zh.v26',
    tag: '投诉',
    signals: ['complaint'],
    lang: 'zh',
    phrases: [
      '拍着胸脯', '就这?', '刚学的吧', '新来的吧', '破系统', '破软件', '能不能稳定', '能不能靠谱', '能不能专业', '上点心',
      '兑了水', '兑水', '什么态度', '啥态度', '啥子态度', '看不起人', '明明显示', '明明写着', '明明说', '一声不吭',
      '也不说一声', '也不通知', '啥也不懂', '什么都不懂', '钱倒是', '想不想做生意', '还做不做生意', '耍人', '耍我',
      '临时工', '教育局', '回复能不能快', '修过三', '又来了是吧', '生意做得',
    ],
    regexes: [
      '(你们|你家)[^,。!?]{0,4}是不是(专|故意|专门)', '越来越(淡|差|难吃|难喝|烂|敷衍|慢|不行|离谱)',
      '修(过|了)[^,。!?]{0,4}(次|回|遍)[^,。!?]{0,4}还是', '那(当时|当初|之前)[^,。!?]{0,8}干嘛',
      '态度(差|太差|很差|恶劣|不好)', '是不是[^,。!?]{0,2}(换|改)了?(配方|原料|料)',
    ],
    negation: true,
    resolved: true,
    conditional: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    // Exasperation and contempt: sarcasm (是临时工吗, 耍人玩, 你们是不是专挑…), a cold 呵呵, rhetorical jabs. A friendly
    // 呵呵 (呵呵好的, 呵呵呵) is laughter, not contempt.
    id: 'negative.zh.v26',
    tag: '负面情绪',
    signals: ['negative'],
    lang: 'zh',
    phrases: [
      '又来了是吧', '临时工', '耍人', '耍我', '呵呵', '嬲死', '想不想做生意', '还做不做生意',
    ],
    mask: ['呵呵好', '呵呵谢', '呵呵哈', '呵呵呵', '哈哈呵呵'],
    regexes: ['(你们|你家)[^,。!?]{0,4}是不是专', '那(当时|当初|之前)[^,。!?]{0,8}干嘛'],
    negation: true,
    resolved: true,
    conditional: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    // Leaving told plainly: moved away, shop closing, auto-pay switched off, lease not renewed, not topping up.
    id: 'churn.zh.v26',
    tag: '流失风险',
    signals: ['churn'],
    lang: 'zh',
    phrases: [
      '不续租', '不打算续', '不再续', '不充了', '不再充', '先暂停', '暂停到', '以后也过不来', '以后都过不来', '以后来不了',
      '转去楼下', '改去楼下', '就不上了', '不想在干了', '不想再干了', '厂子下个月',
    ],
    regexes: [
      '(自动扣费|自动续费|自动续订)[^,。!?]{0,4}(关|取消|停)', '(关|取消|停)[^,。!?]{0,3}(自动扣费|自动续费|自动续订)',
      '(下个?月|下周|下期|明年|下学期)[^,。!?]{0,4}(起|开始)[^,。!?]{0,4}(不用了|不来了|不上了)',
      '(后面|以后|之后|剩下)的?[^,。!?]{0,4}(单子|订单|课)[^,。!?]{0,4}(取消|不要了|不上了)',
      '剩[下余]?的?[^,。!?]{0,4}(课|课时)[^,。!?]{0,6}(退|不上|算一下)',
      '(转去|改去|去了)[^,。!?]{0,4}(那家|别家|隔壁|楼下|对面)',
    ],
    clauseExclude: ['要不要', '考虑', '犹豫', '在想', '再想', '是不是该', '会不会'],
    negation: true,
    conditional: true,
    exclude: ['回来再继续', '回来继续'],
    confidence: 0.75,
  },
  {
    id: 'competitor.zh.v26',
    tag: '竞品',
    lang: 'zh',
    phrases: [
      '新开那家', '新开的那家', '新开了一家', '很火的那家', '几家诊所', '几家机构', '几家店', '汇川', '霸王茶姬', '新东方',
      '京东同款', '转去楼下', '改去楼下',
    ],
    regexes: ['(几|两|三)家[^,。!?]{0,6}之间', '(转去|改去|去了)[^,。!?]{0,4}(那家|别家|隔壁|楼下|对面)'],
    confidence: 0.75,
  },
  {
    // Present harm with a near hour: a demo, a shoot or a line waiting today or tomorrow; a whole team stopped.
    id: 'urgency.zh.v26',
    tag: '紧急',
    signals: ['urgent'],
    lang: 'zh',
    phrases: ['都在干等', '干等着', '明天就等着'],
    regexes: [
      '(今天|明天|今晚|明早)[^,。!?]{0,8}要(给客户|看|demo|演示|开工|拍|用|上线)',
      '(中午|下午|上午|晚上)[^,。!?]{0,2}前(必须|一定要|得)',
    ],
    negation: true,
    resolved: true,
    confidence: 0.75,
  },
  {
    id: 'delivery.zh.v26',
    tag: '物流',
    lang: 'zh',
    phrases: ['一起寄', '照这个量送', '按这个量送', '再给我们发一次', '再发一批'],
    regexes: ['(前|之前)(必须|一定要|得)(到|送到)'],
    exclude: ['发票', '对账单', '对帐单', '合同', '扫描件'],
    hypothetical: true,
    resolved: true,
    confidence: 0.75,
  },
  {
    id: 'refund.zh.v26',
    tag: '退款',
    signals: ['refund'],
    lang: 'zh',
    phrases: ['差价补', '补差价', '把多的', '折现', '返回来'],
    mask: ['要补差价'],
    regexes: ['(打回|退回|转回|返回)[^,。!?]{0,3}(给我|我的?|微信|支付宝)', '余额[^,。!?]{0,6}退'],
    negation: true,
    resolved: true,
    conditional: true,
    confidence: 0.75,
  },
  {
    id: 'pricing.ask.zh.v26',
    tag: '询价',
    lang: 'zh',
    phrases: ['会员日', '哪个划算', '划算还是', '跟报价', '和报价'],
    regexes: ['(发|给|要|拿|出|做|来)[^,。!?]{0,5}报价单'],
    mask: ['报价单已经', '报价单收到'],
    unlessAskedNotToContact: true,
    clauseExclude: ['别再', '别单独', '不要再', '别给我发', '不用发'],
    exclude: ['太贵', '便宜点', '降价', '涨价', '再让'],
    negation: true,
    confidence: 0.75,
  },
  {
    id: 'pricing.objection.zh.v26',
    tag: '价格异议',
    lang: 'zh',
    phrases: ['不是小数目', '不是个小数目', '维持原价'],
    regexes: ['超出[^,。!?]{0,4}(预期|预算)', '(财务|老板|领导)[^,。!?]{0,4}(过不了|批不了|不会批|通不过)'],
    negation: true,
    confidence: 0.75,
  },
  {
    id: 'hesitation.zh.v26',
    tag: '犹豫',
    lang: 'zh',
    phrases: ['选型', '在比价', '比价中', '还在poc', '在poc', '本来都打算'],
    regexes: ['(几|两|三)家[^,。!?]{0,6}之间比', '在跟[^,。!?]{0,6}比价'],
    negation: true,
    confidence: 0.75,
  },
];
