// Shipped rules of the service family: delivery, after-sales problems and questions, urgency.
import type { TagRule } from './rules.ts';

// biome-ignore format: term lists read better packed than one per line
export const SERVICE_RULES: TagRule[] = [
  {
    id: 'delivery.zh',
    tag: '物流',
    lang: 'zh',
    phrases: [
      '发货', '物流', '快递', '单号', '到货', '配送', '运费', '包邮', '送货', '签收', '寄出', '发出',
      '顺丰', '中通', '圆通', '韵达', '申通', '邮政', '运单', '到哪了', '几天到', '能到吗', '什么时候到',
      '收货', '送到', '送过来', '交期', '交货', '还没到', '闪送', '出货', '提货', '自提',
      '派送', '配送员', '司机', '到店', '没送', '还没来', '几点能到', '什么时候能到', '几点到', '装柜',
      '船期', '多久才会到', '要多久才', '几天能到', '多久能到', '多久到', '一起送', '能送', '加急送', '明天发', '还没出发', '到厂', '卸货',
    ],
    // Sending goods back belongs to the refund, a disputed fee to the complaint, a report to the paperwork.
    mask: [
      '垫运费', '都发出来', '几天能到账', '单号一会儿发',
      '订单号发你', '订单号发给你', '到店又', '盖章寄出',
      '原件今天寄出', '一并寄出', '原件寄出', '运费你们出', '时间到店', '到店还要等',
      '什么时候能到账', '什么时候能到帐', '什么时候到账', '什么时候到帐',
      '拒收', '寄回', '快递回来', '退回来', '出运费', '承担运费', '运费险', '去提货', '出货检验', '出货报告',
      '到账', '到帐', '配送费',
    ],
    // v2.3: an event only supposed (如果物流延误…, if the shipment was delayed) is no delivery matter yet.
    hypothetical: true,
    resolved: true,
    clauseExclude: ['工程师', '技术员'],
    confidence: 0.85,
  },
  {
    id: 'delivery.en',
    tag: '物流',
    lang: 'en',
    phrases: [
      'rider', 'wrong building', 'make it?', "on next week's truck", 'exw', 'cif',
      'still waiting for my order', 'express shipping', 'in your warehouse', 'airfreight', 'airfreighted', 'etd',
      'forwarder', 'logistics team', 'expedite', 'bring the second lot forward',
      'ship', 'shipping', 'shipment', 'deliver', 'delivery', 'tracking', 'courier', 'parcel', 'arrive',
      'dispatch', 'fedex', 'dhl', 'postage', 'in transit', 'customs', 'eta', 'lead time', 'still not here',
      'send today', 'truck', 'pallets', 'delivered', 'arrived', 'container', 'bl number', 'unloading',
      'weeks late', 'to express',
    ],
    mask: [
      'customs broker', 'on delivery', 'half on delivery',
      'email never arrives', 'email never arrived', 'emails never',
      'cash on delivery', 'you shipped', 'return label', 'ship it back', 'send it back', 'shipping it back',
      'free delivery', 'delivery option', 'codes arriving', "codes aren't arriving", 'code arriving', 'emails arriving',
    ],
    // v2.4: goods that arrived broken or wrong are an after-sales matter, not a delivery one (R6).
    exclude: [
      'snapped',
      'shorter', 'faulty', 'defective',
      'damaged', 'smashed', 'broken', 'cracked', 'melted', 'crushed', 'leaking', 'spoiled', 'shattered', 'dented',
      'wrong item', 'wrong size', 'wrong colour', 'wrong color', 'missing',
    ],
    mixed: ['tracking', 'dhl', 'fedex', 'eta'],
    // v2.3: an event only supposed (如果物流延误…, if the shipment was delayed) is no delivery matter yet.
    hypothetical: true,
    resolved: true,
    confidence: 0.85,
  },
  {
    id: 'aftersales.zh',
    tag: '售后',
    lang: 'zh',
    phrases: [
      '售后', '坏了', '维修', '修一下', '保修', '质保', '换货', '退换', '安装', '上门', '故障',
      '报错', '打不开', '开不了机', '用不了', '不能用', '登录不上', '登不上', '闪退', '卡死', '死机',
      '质量问题', '质量有问题', '出问题', '划痕', '破损', '没解决', '少发', '漏发', '缺件', 'bug',
      '怎么设置', '怎么找回', '找回', '密码', '登入', '登录', '进不去', '收不到', '没反应', '黑屏',
      '没有声音', '没声音', '乱码', '播放不了', '提交不上', '漏油', '漏水', '异味', '有股味', '有股怪', '有股异', '有股臭', '发酸',
      '受潮', '开胶', '不良', '不合格', '崩了', '宕机', '当机', '卡住', '停机', '技术支持', '工程师',
      '技术员', '派人', '能换一个', '换一个吗', '换个颜色', '能换', '少了一', '少了几', '少了个', '少了配件', '缺了', '破了', '到底能不能解决', '教程', '怎么保存', '过敏', '红肿', '起了疹', '起了痘', '起了红', '起了好多', '起了很多', '水泡', '烂脸',
      '修歪', '发错', '寄错', '送错', '正常吗', '不对劲', '错误提示', '错误代码', '还能喝吗', '怎么用', '怎么开', '设置错', '刮就掉', '就掉了', '掉了一半', 'login', 'defect', '不支持', '不出来',
    ],
    regexes: ['怎么把[^,。!?]{1,12}(转|改|导|加|删|设)'],
    // Pre-sale questions about service (包安装吗, 保修多久, 支不支持) are not problems with something bought.
    mask: [
      'wifi密码', 'wi-fi密码',
      '怕做完过敏', '怕过敏', '会不会过敏', '保固是几年',
      '发票抬头',
      '维修一般', '维修要多久', '质保协议', '售后就是', '售后响应', '担心售后', '质量问题太多', '质量问题那份',
      '以后真的有质量问题', '旧换新', '怎么开发票', '怎么开票', '支不支持', '包安装', '免费安装', '安装费', '负责安装',
      '安装吗', '上门吗', '上门安装吗', '能上门', '可以上门', '送货上门', '上门服务吗', '保修多久', '保修几年',
      '质保多久', '质保几年', '有质保', '有保修', '售后怎么', '售后服务怎么', '售后有保障', '售后保障', '有售后吗',
      '有没有售后', '售后好', '售后政策', '有技术支持吗', '有没有技术支持', '发票怎么开', '票怎么开', '有技术支持', '提供技术支持', '派工程师来演示', '登录吗', '支持登录', '登录方式', '上门取件', '上门取货', '工程师能来', '安装要多久', '安装多久',
    ],
    negation: true,
    conditional: true,
    resolved: true,
    clauseExclude: ['发票', '抬头'],
    confidence: 0.85,
  },
  {
    id: 'aftersales.en',
    tag: '售后',
    lang: 'en',
    phrases: [
      'warranty',
      'broken', 'not working', 'stopped working', "doesn't work", "won't turn on", 'repair', 'replacement',
      'defective', 'crash', 'bug', 'error', 'troubleshoot', 'installation', 'cracked', 'damaged',
      "can't log in", 'log in', 'login', 'password', 'greyed out', "won't charge", 'wont charge',
      "doesn't heat", 'leaking', 'stopped cooling', 'stuck', 'how to add', 'how often should', 'how long should',
      'manual', 'technician', 'come look', 'come back to', 'no permission', "can't access", 'expired',
      'returning 500', 'broke', 'wrong order', 'quality issues', 'faded', 'rash', 'tripped', "won't restart",
      'installer', 'how do i check', 'support ticket',
    ],
    mixed: ['bug', 'login', 'error', 'crash'],
    exclude: ['thanks for the support', 'thank you for the support', 'support over the'],
    // Warranty terms asked about before buying are pre-sale questions.
    mask: [
      'stuck in my head',
      'warranty and liability',
      'warranty period', 'warranty clause', 'extended warranty', 'warranty terms', 'how long is the warranty',
      'is there a warranty', 'any warranty', 'with a warranty', 'with warranty', 'warranty included', 'offer installation',
      'warranty card',
    ],
    negation: true,
    conditional: true,
    resolved: true,
    confidence: 0.85,
  },
  {
    id: 'urgency.zh',
    tag: '紧急',
    signals: ['urgent'],
    lang: 'zh',
    keywords: ['急'],
    phrases: [
      '比较急', '晚上就要用', '客户在线上等', '客户在会议室等', '马上给我恢复', '今天处理掉', 'deadline 只剩',
      '之前一定要到', '一定要到', '不然会都', '马上远程', '线上在等', '今天给我确认', '今天送过来', 'deadline 就是今天', 'deadline就是今天',
      '紧急', '着急', '急用', '加急', '急急', '急死', '赶紧', '马上处理', '立刻', '立即', '今天必须',
      '今天之内', '今天就要', '火急', '越快越好', '等着用', '快点', '快一点', '很急', '挺急',
      '比较急', '必须到', '最迟', '截止', '来不及', '赶时间', '催得', '干等', '再不来', '急需',
      '最快什么时候', '现在就要', '今晚之前', '今天晚上之前', '点前必须', '开天窗', '最后通牒',       '今晚能', '今天能不能', '今天还能', '今晚就', '明天就要', '明天一早', '停了', '全部卡住',
    ],
    regexes: [
      '只剩[0-9一二两三四五六七八九十几]+ ?(天|小时)', '(今天|今晚|明天|明早|后天|周[一二三四五六日]|礼拜[一二三四五六天])[^,。!?]{0,8}(必须|就要|要用|截止|之前|前必须|要上线|开始)'],
    mask: [
      '停了吧', '先停了', '在催在催', '说在催', '立刻删除', '立刻换', '会尽快', '尽快安排', '尽快回复', '尽快把钱', '尽快退款', '赶紧把', '几号截止', '什么时候截止', '哪天截止'],
    negation: true,
    confidence: 0.85,
  },
  {
    id: 'urgency.en',
    tag: '紧急',
    signals: ['urgent'],
    lang: 'en',
    phrases: [
      'urgent', 'urgently', 'asap', 'as soon as possible', 'immediately', 'emergency',
      'hurry', 'rush', 'time-sensitive', 'time sensitive', 'by eod', 'today eod', 'at the latest', 'deadline',
      'need help now', 'expedite', 'closes tomorrow', 'tmr morning', 'tomorrow morning', 'tonight', 'by friday',
      'before the audit', 'whole workshop down', 'need technician today',
    ],
    // The customer's own plan (I'll order tonight) is not time pressure on us.
    mask: ['order tonight', 'pay tonight', 'book tonight'],
    regexes: ['\\b(need|needs|needed|must|have to)\\b[^.!?]{0,40}\\b(today|tonight|tomorrow|tmr|now)\\b'],
    mixed: ['urgent', 'asap'],
    negation: true,
    confidence: 0.85,
  },
];
