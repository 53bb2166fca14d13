// Rules v2.5: classes of phrasing the sixth writers' batch (an ordinary week) and the seventh (problems told in the
// customer's own words) used and v2.4 missed: bookings, payments sent and repeat orders as intent; results that did not
// hold, error codes and symptoms as after-sales; promises held against the company as complaints; leaving as churn.
// Written from those batches' training parts only (the second part after the seventh was scored); after v2.4.
import type { TagRule } from './rules.ts';

/** A count in Chinese or digits (两箱, 十几包, 半斤, 200 套): the rules for quantities share it. */
export const COUNT_ZH = '[0-9一两二三四五六七八九十几半百千]+';

// biome-ignore format: term lists read better packed than one per line
export const RULES_V25: TagRule[] = [
  {
    id: 'purchase.zh.v25',
    tag: '购买意向',
    signals: ['high_intent'],
    lang: 'zh',
    phrases: [
      '加个号', '先试用', '决定签', '准备续', '续肯定', '想办卡', '办一张',
      // Second part (seventh batch).
      '批了就签', '继续续', '打算续', '拿点样品', '交个定金', '口味的吗', '我现在就拍', '还有位吗', '想一起报', '决定报',
      '想先买点', '小单', '插个单', '想屯',
    ],
    regexes: [
      `(再来|多加|再要|再拿|再订)${COUNT_ZH} ?(斤|箱|件|盒|包|份|袋|罐|桶|瓶|个|套|条|公斤|吨)`,
      `(转|付)了 ?[0-9]+`, '想办(一|张|个)', '[0-9]{2} ?码有',
      '(老板|老闆)(点头|點頭)', '(先|就)按这个[^,。!?]{0,4}走', '按[0-9.]+走', `留${COUNT_ZH}个?(位置|位子|名额)`,
      '(还有|有) ?stock', '(续费|续约)[^,。!?]{0,8}(批了|走流程)', '有[a-z0-9]{1,3} ?(号|號|码)吗', '(带|约)[^,。!?]{0,6}一起(来|过来)做',
    ],
    mask: ['已经办了', '办过'],
    // Money sent that the customer wants back is a refund matter, not a purchase.
    exclude: ['退回', '退款', '退钱', '没退', '多扣', '扣了'],
    negation: true,
    resolved: true,
    conditional: true,
    unlessAskedNotToContact: true,
    confidence: 0.75,
  },
  {
    id: 'purchase.en.v25',
    tag: '购买意向',
    signals: ['high_intent'],
    lang: 'en',
    phrases: [
      'restock', 'before we can pay', 'so we can pay', 'process payment', 'process the payment', 'arrange payment',
      'arrange the payment', 'remit', "we'll be ordering", 'go with you', 'instalment plan', 'installment plan',
      'dying to try', 'do you do gift', 'dying for', 'raise the po',
    ],
    regexes: [
      '\\b(any|have|got|still have|still got|is there|are there) (weekend |weekday |morning |evening |afternoon |more )?(slots?|space|spaces|seats?|vacanc(y|ies)|openings?)\\b',
      '\\badd (\\d+|one|two|three|another|a few) (more )?[a-z]', '\\b\\d+ ?pax\\b', '\\bapproved the (quote|quotation|proposal)\\b',
      '\\bcan (i|we) (book|reserve|order|sign up|enrol|enroll)\\b', '\\bissue (the |our |a )?(first )?po\\b',
    ],
    mask: ['restocking fee', 'restocking'],
    negation: true,
    resolved: true,
    conditional: true,
    unlessAskedNotToContact: true,
    clauseExclude: ['how much'],
    confidence: 0.75,
  },
  {
    id: 'aftersales.zh.v25',
    tag: '售后',
    lang: 'zh',
    phrases: [
      '翘边', '起翘', '掉钻', '尺寸不对', '公差', '超差', '磨损', '坏件', '线头', '开线', '偏小', '偏大', '缩水', '起球',
      '一直卡', '卡顿', '断断续续', '没听懂', '没太听懂', '没学会', '啥也没学', '什么也没学', '找了半天', '一直报',
      '打不开', '闪退', '登不上', '进不去',
      // Second part (seventh batch): symptoms as customers name them.
      '异响', '锈斑', '生锈', '涂层', '合不拢', '漏光', '一顿一顿', '上传失败', '哈喇', '压成渣', '碎成渣', '塌下去',
      '凹进去', '红疹', '起疹', '流黄水', '卡纸', '发错', '缺斤少两', '口感变了', '味道变了', '我拍的是', '我下单的是', '下单的明明是', '我订的是',
    ],
    regexes: [
      '报(错|[a-z][0-9]{1,3}\\b|警)', `只收到${COUNT_ZH}`, `少了${COUNT_ZH}(个|件|包|盒|箱|瓶)`,
      '(老师|teacher)[^,。!?]{0,8}没(上线|来)', '发成[a-z0-9]', '只(到|来|收到)了?[0-9一两二三四五六七八九十]+', '找不到[^,。!?]{0,6}(入口|按钮|菜单|功能|设置|在哪)', '怎么(导出|导入|筛选|设置|绑定|同步|安装|调)',
      // Something done, worn, eaten or received, then a bad state in the same clause.
      '(做完|烫完|剪完|纹完|染完|打完|装好|装完|用了|穿了|洗了|吃了|喝了|收到的?|到货的?|拆开|打开|寄来的|送来的)[^,。!?]{0,12}(?<![没不未])(坏|破|漏|松|掉|裂|碎|塌|肿|痒|红疹|疹|锈|臭|霉|变形|变色|褪色|起球|起皮|缩|歪|不对|不一样|不行|没用|失败|异响|卡)',
    ],
    // Asked before buying (尺码偏小吗, 公差能做到多少, 耐磨损吗) is no fault yet.
    mask: [
      '发错货处理', '不会打不开', '打不开门', '说偏小', '说偏大', '偏小吗', '偏大吗', '会不会偏小', '会不会偏大', '是不是偏小',
      '是不是偏大', '公差可以', '公差能', '公差多少', '最小公差', '公差要求', '耐磨损',
      '公差标注',
    ],
    negation: true,
    conditional: true,
    resolved: true,
    // A wrong invoice is paperwork (Z2), not a fault.
    unlessAskedNotToContact: true,
    clauseExclude: ['发票', '抬头', '合同', '主要怕', '我怕', '怕打完', '怕做完', '担心'],
    confidence: 0.75,
  },
  {
    id: 'aftersales.en.v25',
    tag: '售后',
    lang: 'en',
    phrases: [
      'the fix', 'scuff', 'machine wash', 'soggy', 'wipes our', 'wiped our', 'wiped my', 'still showing',
      // Second part (seventh batch): symptoms as customers name them.
      'looks nothing like', 'way off', 'never came', "didn't show up", 'flaking', 'clicking', 'spins forever', 'burst',
      'tearing', 'crumbs', 'deleted by accident', 'status still', 'runs hot', 'runs very hot', 'snapped off', 'fogged',
      'clumps', "didn't work", 'didnt work', 'stopped firing', 'how to pair', 'bumps',
    ],
    regexes: [
      '\\b(sync|login|log ?in|upload|export|import|update|backup|payment|print|scan)s? (fails|failed|failing|keeps failing)\\b',
      '\\bdifferent from the (photo|picture|pic|image|website|listing|description|sample)s?\\b',
      '\\bkept (freezing|crashing|dropping|disconnecting|buffering|lagging)\\b', '\\bdropped \\d+ times\\b',
      '\\barrived (cold|soggy|broken|damaged|crushed|dented|leaking|melted|opened|wet|torn|stale)\\b',
      "\\b(received|got|bought|ordered|delivered)\\b[^.!?]{0,60}\\b(but|and)\\b[^.!?]{0,40}(broken|wrong|missing|doesn't|won't|can't|isn't|not working|only|already|off|damaged)",
      "\\b(since|after) (the |yesterday's |last |your |today's )?(update|upgrade|install|installation|service|treatment|facial|repair|wash|patch)\\b",
      '\\bonly \\d+ (came|arrived)\\b', '\\bcame (in )?wrong\\b',
      '\\blasted (only )?(\\d+|a|one|two|three) (days?|weeks?|months?)\\b',
    ],
    negation: true,
    conditional: true,
    resolved: true,
    exclude: ['seems fixed', 'seems to be fixed'],
    mask: ['still showing processing', 'still showing at'],
    confidence: 0.75,
  },
  {
    // Blame or demand over a problem, not the problem alone (Z1, R1).
    id: 'complaint.v25',
    tag: '投诉',
    signals: ['complaint'],
    lang: 'any',
    phrases: [
      'not happy', '也没管', '没人管', '有什么用', '别开了', '干脆关门', '食环署', '消委会', '消保官', '花得冤枉', '下次注意', 'who is going to bear', 'who will bear', 'who bears',
      'very embarrassing', 'so embarrassing', 'meeting with the principal', 'not what i expect',
      // Second part (seventh batch): promises held against the company, escalation, blame.
      'thanks for wasting', 'do you test', "i'm done chasing", 'which is it', 'because of your', '吃干饭', '我们花钱不是',
      '最慢的', '能不能认真', '根本没说', '根本没提', '激死', '到底行不行', '没经过我们同意', '丢死人', '必须赔', '好失望',
      '打算怎么说', '次次都', 'not what i pay', 'i never gave', 'unprofessional',
    ],
    regexes: [
      '\\byour (datasheet|website|ad|advert|listing|brochure|sales ?guy|salesperson|sales rep|rep|mill cert|description|label|packaging|menu) (says|said|promised|claims|clearly says)\\b',
      '\\bhow (did|does|could|can) (this|that) (even )?happen', '\\b(speak|talk) (to|with) (the|your) (principal|manager|supervisor|boss|director|owner)\\b',
      '下次[^,。!?]{0,4}注意', '给[我们]{0,2}个说法', '连个[^,。!?]{0,6}都没', '承诺的[^,。!?]{0,8}呢', '(保证|承诺)[^,。!?]{0,6}(包过|提分|效果)',
    ],
    negation: true,
    resolved: true,
    conditional: true,
    unlessNotAboutUs: true,
    mask: ['下次注意下就好', '下次注意就好', '下次注意一下就好'],
    clauseExclude: ['就好'],
    confidence: 0.75,
  },
  {
    id: 'churn.v25',
    tag: '流失风险',
    signals: ['churn'],
    lang: 'any',
    phrases: [
      '迁到别的', '迁移到别的', '决定去', '换了一家', '不从你们', 'stopped coming', 'withdrawing', 'we are relocating',
      "we're relocating", '不在你们家买', '把账号关了', '关掉账号', '这课我不上了', 'off the roster', 'sourced it elsewhere',
      'sourced elsewhere', 'stop the remaining', '不从贵司', '换了供应商', '不在你们店买', 'not coming back',
      "won't be coming back", 'never coming back',
    ],
    // "No longer using it" with what is left to settle; a bare 我不用了 is usually "no, thanks".
    regexes: ['(我们|我)不(再)?用了[^。!?]{0,12}(剩下|剩余|退|数据|导出|账号)', '\\bstop (the|our|my) [a-z ]{0,20}subscription\\b', '\\bcancel (the|our|my) [a-z ]{0,20}subscription\\b'],
    negation: true,
    resolved: true,
    conditional: true,
    confidence: 0.75,
  },
  {
    id: 'refund.v25',
    tag: '退款',
    signals: ['refund'],
    lang: 'any',
    phrases: ['取消订单', '退给我们', '收了我', '还在扣', '从货款里扣'],
    regexes: ['剩[下余]的[^,。!?]{0,6}(能|可以)?退'],
    negation: true,
    resolved: true,
    conditional: true,
    unlessAskedNotToContact: true,
    confidence: 0.75,
  },
  {
    id: 'competitor.v25',
    tag: '竞品',
    lang: 'any',
    phrases: [
      '比外面', '之前合作的那家', '之前那家', '新供应商', '新的供应商', '别的平台', 'local supplier', '比较几家',
    ],
    regexes: [
      // Moving to a product named in Latin letters (换成SKF, 迁到Salesforce).
      '(换成|改用|转用|统一用|迁到|迁移到)[^,。!?]{0,3}[a-z]{2,}',
      '比[^,。!?]{0,6}现在用的', '现在用的(供应商|那家|厂家|厂)',
      '\\bevaluating (a few|several|some|other|multiple)\\b', '\\b(chose|picked|went with) (you|your company|yours) over\\b',
      '\\bis (way |much |a lot )?cheaper (than (that|yours|you|this)|for (the same|similar))',
      '\\b(one|a|another) (supplier|vendor|provider|manufacturer|factory)s? from\\b',
      '\\b(another|other|different) (centre|center|tuition|academy|salon|clinic|studio)s?\\b',
      '外面(的|那些)?[^,。!?]{0,3}(店|家|机构|厂|便宜|买|做|报价|价格)',
    ],
    negation: true,
    confidence: 0.75,
  },
  {
    // A named hour today or tomorrow, or "by this afternoon", is real time pressure (R9).
    id: 'urgency.en.v25',
    tag: '紧急',
    signals: ['urgent'],
    lang: 'en',
    regexes: [
      '\\b(today|tonight|tomorrow)( morning| afternoon| evening| night)?,? (by |at |before )?\\d{1,2}(:\\d\\d)? ?(am|pm)\\b',
      '\\bby (this )?(afternoon|tonight|this evening|end of (the )?day|eod|noon)\\b',
    ],
    negation: true,
    conditional: true,
    resolved: true,
    confidence: 0.75,
  },
  {
    id: 'hesitation.v25',
    tag: '犹豫',
    lang: 'any',
    phrases: [
      '再测试', '评审后', '试用看看', '同时在试', '都在试', 'will think about', 'will consider', 'evaluating you',
      'discuss with my', 'think about the package', '两家都在', '我怕', 'not so sure',
    ],
    regexes: ['先试[^,。!?]{0,6}(看看|再说)', '(还在|正在)[^,。!?]{0,4}(比|对比|比较)'],
    negation: true,
    confidence: 0.75,
  },
  {
    id: 'contract.v25',
    tag: '合同',
    signals: ['high_intent'],
    lang: 'any',
    phrases: ['营业执照', '开户许可', '供应商准入', '月结账单', '对账单', 'credit terms', 'payment terms', 'open pos'],
    regexes: ['\\bpi\\b'],
    negation: true,
    confidence: 0.75,
  },
  {
    id: 'pricing.ask.v25',
    tag: '询价',
    signals: ['high_intent'],
    lang: 'any',
    phrases: [
      '学生价', '抵现', 'prorated', 'shipping free', 'free shipping', '含不含', '有送的', '问下价格', '有啥活动',
      '有什么活动',
    ],
    regexes: [
      '(费|价)多少(?!我都)', '还是[^,。!?]{0,4}(这个|原来的?|一样的?)价', '一(吨|斤|箱|台|件|个|套|盒|次|节|两)多少',
      '怎么收(费|钱|[?？,，。 ]|$)', '(价|价格|报价)[^,。!?]{0,4}报一下', '报一下价',
    ],
    negation: true,
    conditional: true,
    unlessAskedNotToContact: true,
    confidence: 0.75,
  },
  {
    id: 'pricing.objection.v25',
    tag: '价格异议',
    lang: 'any',
    phrases: ['can you match', 'price match', 'cheaper than that', '涨这么多', '别涨了'],
    regexes: ['超出[^,。!?]{0,6}预算'],
    negation: true,
    confidence: 0.75,
  },
  {
    id: 'negative.zh.v25',
    tag: '负面情绪',
    signals: ['negative'],
    lang: 'zh',
    phrases: ['破系统', '破软件', '破东西', '破玩意', '说话跟放屁'],
    regexes: ['是打算[^,。!?？！]{0,8}(吗|？)'],
    negation: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    // Doubled question marks at the company are shouting (Z11); over one's own emergency they are hurry.
    id: 'negative.zh.v25.marks',
    tag: '负面情绪',
    signals: ['negative'],
    lang: 'zh',
    phrases: ['？？'],
    unlessTagged: ['紧急'],
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    id: 'delivery.zh.v25',
    tag: '物流',
    lang: 'zh',
    phrases: ['地址发你', '老地址', '还没发吗'],
    regexes: ['(送|发|货)[^,。!?]{0,12}到店', '(啥时候|几时)发(吗|啊|呀|呢|货|出|$|[?？,，。 ])'],
    negation: true,
    conditional: true,
    confidence: 0.75,
  },
  {
    // A named hour before which something must happen (下午三点前) is real time pressure (Z8).
    id: 'urgency.zh.v25',
    tag: '紧急',
    signals: ['urgent'],
    lang: 'zh',
    regexes: [
      '[上下]午[0-9一二三四五六七八九十两]+点前',
      // An event of the customer's own tomorrow or tonight (明天就搬家, 后天出国) that the matter must beat.
      '(明天|后天|今晚)就?要?(搬家|出国|开营|开学|考试|开业|上线|出发|结婚|到期)',
    ],
    negation: true,
    conditional: true,
    resolved: true,
    confidence: 0.75,
  },
];
