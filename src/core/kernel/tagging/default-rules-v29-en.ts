// Rules v2.9 (en): what the thirteenth writers' batch (what an owner must hear at once, and what only sounds like it)
// said that v2.8 missed or misread. Written from that batch's training part only, after it was scored.
import type { TagRule } from './rules.ts';

const SUPPLIER = '(supplier|provider|vendor|distributor|manufacturer|wholesaler|agency|salon|tutor|estate)';
const OTHER =
  '(another |an? (alternative|other|new|different|local|cheaper|closer) |(our|the) (new|other|alternative) )';

// A supplier found or chosen instead of us: leaving, and a rival named, at once.
const ANOTHER_SUPPLIER_EN = [
  `\\b(found|chosen|engaged|appointed|selected|signed with|going with) ${OTHER}${SUPPLIER}\\b`,
];

// Sarcasm at the company is a complaint and anger at once (B10-6): stated once for both rules.
// biome-ignore format: term lists read better packed than one per line
const SARCASM_V29 = {
  phrases: ['tired of your excuses', 'is this how you do business', 'love that for me', "i'm not paying for your", 'im not paying for your'],
  regexes: [
    '\\byour ["“\'‘][a-z0-9 -]{2,30}["”\'’] (has become|turns up|turned up|arrived|means|is now)\\b',
    '\\b(thanks for|so much for) (the|your) ["“\'‘][a-z -]{2,20}["”\'’]',
    '\\bthe ["“\'‘][a-z0-9 -]{2,30}["”\'’] turn(s|ed) out\\b',
    '\\bam i paying for\\b', '\\bor is [a-z]+ optional\\b', '(^|[.!?] )seriously\\?+$',
  ],
};

// biome-ignore format: term lists read better packed than one per line
export const RULES_V29_EN: TagRule[] = [
  {
    // Leaving said through the supplier taking its place, a standing order ended, work taken in-house, no rebooking.
    id: 'churn.en.v29',
    tag: '流失风险',
    signals: ['churn'],
    lang: 'en',
    phrases: [
      "won't be rebooking", 'wont be rebooking', 'will not be rebooking', 'making other arrangements',
      'make other arrangements', 'not buying from you again', 'never shop here again', 'never order from you again',
      'never buying from you again', 'standing order ends', 'not to proceed with the second year',
      'not proceed with the second year', 'not to proceed with the renewal', 'dont want auto renew', "don't want auto renew",
      'dont want auto-renew', "don't want auto-renew",
    ],
    regexes: [
      ...ANOTHER_SUPPLIER_EN,
      '\\b(found|chosen) (someone|somewhere|a place) (else|closer|cheaper|nearer)\\b',
      `\\b(mov|shift|tak|buy|sourc|gett?)(e|es|ing)?\\b[^.!?]{0,40}\\b(to|from) ${OTHER}${SUPPLIER}\\b`,
      '\\b(stop|stopping|cancel|cancelling|canceling|end|ending)\\b[^.!?]{0,20}\\b(standing order|regular order|monthly supply|weekly supply|month supply)\\b',
      "\\bgoing back to (our|my) (old|previous|former|usual)\\b",
      '\\b(bring|bringing|take|taking|move|moving)\\b[^.!?]{0,30}\\bin-?house\\b',
      '\\bdecided to (buy|source|order|get) [a-z ]{0,20}directly from\\b', '\\bstop (reselling|stocking|carrying) (your|the)\\b',
      '\\bconsolidat(e|ing) [^.!?]{0,40}\\bwith (a|one|another|a single) ',
      '\\borders\\b[^.!?]{0,40}\\bwill (therefore )?cease\\b',
      '\\b(will|shall) (therefore )?discontinue (it|the line|this line|the range|the product)\\b',
    ],
    mask: ['moving to a new', 'moving to the new'],
    negation: true,
    conditional: true,
    confidence: 0.75,
  },
  {
    id: 'competitor.en.v29',
    tag: '竞品',
    lang: 'en',
    phrases: ['alternative supplier', 'another provider', 'another manufacturer', 'another distributor', 'new distributor'],
    regexes: [
      ...ANOTHER_SUPPLIER_EN,
      '\\b(found|chosen) (someone|somewhere) (else|closer|cheaper|nearer)\\b',
      "\\bgoing back to (our|my) (old|previous|former) [a-z']+",
      '\\b(buy|source|order) [a-z ]{0,20}directly from\\b',
    ],
    negation: true,
    conditional: true,
    confidence: 0.75,
  },
  {
    // Money asked back without "refund": the fee or deposit back, the unused balance, a credit, goods taken back.
    id: 'refund.en.v29',
    tag: '退款',
    signals: ['refund'],
    lang: 'en',
    keywords: ['pakibalik'],
    phrases: ['partial credit', 'issue a credit', 'request collection', 'reimbursement of'],
    regexes: [
      '\\b(give|send|return|pay|transfer) (me |us )?(back )?(my|our) (money|deposit|payment|fees?)\\b',
      '\\b(give|send) (me|us) (my|our) [$£€₱]?[\\d,.]+[a-z]* back\\b',
      '\\breturn the (amount|balance|deposit|payment|fees?)\\b',
      '\\b(fee|fees|deposit|payment|amount|balance) back\\b',
      '\\b(unused|remaining|prepaid) [a-z ]{0,25}\\b(go |goes )?back (on|to) (the|my|our)\\b',
      '\\bcredit (me|us) for\\b', '\\bcredit the [$£€₱]?[\\d,.]* ?difference\\b', '\\bdifference on the (bill|invoice)\\b',
      '\\b(please |pls |kindly )?take back (the|these|those|all|our)\\b',
      '\\bsend back the (unsold|remaining|rest)\\b',
    ],
    mask: ['return the signed', 'return the completed'],
    negation: true,
    resolved: true,
    conditional: true,
    unlessAskedNotToContact: true,
    confidence: 0.75,
  },
  {
    // Accountability asked for in a buyer's words, repeats counted, a formal concern, legal or vendor-status threats.
    id: 'complaint.en.v29',
    tag: '投诉',
    signals: ['complaint'],
    lang: 'en',
    phrases: [
      'who chose you', 'who chose your company', 'why we trusted', 'what are you going to do about it',
      "what you're doing about it", 'what you are doing about it', 'what you are actually doing about it',
      'root cause', 'the countermeasure', 'corrective action', 'this is not serious', 'this is not honest',
      'raise a concern', 'formal complaint', 'legal counsel', 'our lawyer',
      'suspension of your', 'is anyone gonna answer', 'is anyone going to answer', 'anyone going to reply',
      'walang reply', 'quality like this', 'given the delays', 'reconsidering the whole', 'reconsider the whole',
      ...SARCASM_V29.phrases,
    ],
    regexes: [
      '\\b(speak|talk) (to|with) (whoever|someone who) (manages|runs|is in charge)\\b',
      '\\b(second|third|fourth|fifth|2nd|3rd|4th|5th) ["“\']?[a-z ]{1,30}["”\']? in a row\\b',
      '\\b(third|fourth|fifth|3rd|4th|5th) time (the|that|my|our|you|na|this|now)\\b',
      '\\bthis is (my|our) (third|fourth|fifth|3rd|4th|5th|\\d+th) (email|message|call|time|chaser)\\b',
      '\\b\\d+ (emails|calls|messages|chats)[,.]? (and )?(still )?(no|without) (reply|response|answer)\\b',
      '\\bcancel(led|ed)? [a-z ]{0,20}(\\d+|three|four|five) times\\b',
      '\\bsend the 8d\\b', '\\b8d report\\b',
      '\\bwhat am i paying [^.!?]{0,15}for\\b', '\\b(1|one)[- ]star\\b[.!]*$', ...SARCASM_V29.regexes,
    ],
    mask: ['complaint handling', 'complaints procedure'],
    negation: true,
    conditional: true,
    resolved: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    // Sarcasm and exasperation at the company: scare-quoted promises, "love that for me", tired of excuses, 🤬.
    id: 'negative.en.v29',
    tag: '负面情绪',
    signals: ['negative'],
    lang: 'en',
    phrases: [
      'most useless', "clearly doesn't care", 'clearly doesnt care', "i'm done waiting", 'im done waiting', ...SARCASM_V29.phrases,
    ],
    regexes: [
      '\\bfantastic use of\\b', '\\breally worth [$£€]', "\\b(i'm|im|i am) not paying for your\\b",
      '\\b(refund|fix|sort|send) it[.!] now[.!]*$', ...SARCASM_V29.regexes,
    ],
    negation: true,
    resolved: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    // Disappointment typed in capitals is anger, not a mild letdown.
    id: 'negative.en.shout.v29',
    tag: '负面情绪',
    signals: ['negative'],
    lang: 'en',
    phrases: ['very disappointed', 'so disappointed', 'extremely disappointed', 'not acceptable'],
    shout: true,
    negation: true,
    resolved: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    // The customer's business stopped now: a line or machine down, orders lost by the hour, opening within the hour.
    id: 'urgency.en.v29',
    tag: '紧急',
    signals: ['urgent'],
    lang: 'en',
    phrases: ['busiest day', 'speed it up', 'immediately please', 'guests arriving', 'guests are arriving', 'guests already arriving', 'today is month end', 'today is month closing'],
    regexes: [
      '\\b(line|machine|production|press|plant|factory)\\b[^.!?]{0,20}\\b(is down|down since|went down|stopped|standing|at a standstill)\\b',
      '\\b(truck|lorry|van|vessel|flight|driver|courier) leaves (at|in) \\d', '\\blosing (orders|sales|customers|bookings|money) every (hour|minute|day)\\b',
      '\\bopens? in (an|one|half an|\\d+) (hour|hr|mins?|minutes)\\b',
      '\\b(resolve|courier) [^.!?]{0,25}\\btoday\\b', '\\bbring (the|them|it)\\b[^.!?]{0,20}\\btoday\\b',
      '\\b(shower|communion|party|ceremony|funeral|christening|event) is (this|tomorrow|tmr|tonight|today)\\b',
    ],
    negation: true,
    resolved: true,
    confidence: 0.75,
  },
  {
    // A price rise turned down by walking away, another price said to fit better.
    id: 'pricing.objection.en.v29',
    tag: '价格异议',
    lang: 'en',
    regexes: [
      "\\bat (that|this|these|those) prices?,? (we|i) (won't|wont|can't|cant|cannot|will not)\\b",
      '\\b(their|its) pric(ing|es?) (fits|suits|works for) (us|our [a-z]+)( [a-z]+)? better\\b',
      '\\b(new|revised|increased) [a-z ]{0,15}prices?\\b[^!?]{0,40}\\b(unviable|not viable|no thanks|not something we can accept)\\b',
    ],
    confidence: 0.75,
  },
  {
    // Faults named by their symptom: keeps declining, a line down, goods off-spec against the sample.
    id: 'aftersales.en.v29',
    tag: '售后',
    lang: 'en',
    phrases: ['short-shipped', 'short shipped', 'peeled off', 'bulk edit', 'export our data'],
    regexes: [
      '\\bkeeps? (declining|crashing|freezing|rejecting|failing|dropping|disconnecting)\\b',
      "\\b(can't|cant|cannot|unable to) (log ?in|access|sign in)\\b", '\\bstill crash(es|ing)\\b',
      '\\b(machine|spindle|press)\\b[^.!?]{0,20}\\b(is down|down since|went down|stopped)\\b',
      '\\bpast (their|its|the) (use-by|best-before|expiry)\\b', '\\bsmells? (sour|off|bad|rotten)\\b',
      '\\bwrong (hardness|shade|colou?r|flavou?r|model|spec)\\b',
      '\\bnot same as (the )?(swatch|sample|proof)\\b',
      '\\b(thinner|darker|lighter|weaker|thicker) than (the )?(sample|approved|proof|swatch|spec)\\b',
      '\\b(add|set up) [a-z ]{1,20} as (an )?(admin|user)\\b',
    ],
    exclude: ['unopened', 'already settled', 'settled already', 'already sorted', 'sorted already'],
    negation: true,
    conditional: true,
    resolved: true,
    unlessNotAboutUs: true,
    confidence: 0.75,
  },
  {
    id: 'delivery.en.v29',
    tag: '物流',
    lang: 'en',
    phrases: ['backordered', 'still not shipped', 'still not reach', 'still not reached', 'not shipped yet'],
    regexes: ['\\bordered\\b[\\s\\S]{0,80}\\bwhere is it\\b'],
    resolved: true,
    confidence: 0.75,
  },
  {
    id: 'hesitation.en.v29',
    tag: '犹豫',
    lang: 'en',
    phrases: ['still trying to decide', "i'll have a think", 'ill have a think', 'so we can compare', "we'll decide next week", 'well decide next week', 'decide next week only'],
    regexes: ['\\bwill (discuss|talk) (it )?with (my |our )?(mom|mum|wife|husband|partner|boss|family|team|parents)\\b'],
    confidence: 0.75,
  },
  {
    id: 'purchase.en.v29',
    tag: '购买意向',
    signals: ['high_intent'],
    lang: 'en',
    regexes: [
      '\\b(send|deliver|make) (us |me )?another \\d+', '\\bcan (you|u) make \\d+',
      "\\b(we'll|well|we will) upgrade\\b", '\\bcan (we|i) (pay for|add) the\\b', '\\bcontinuing next (term|month|year|semester)\\b',
    ],
    exclude: ['refund', 'money back'],
    negation: true,
    resolved: true,
    conditional: true,
    confidence: 0.75,
  },
];
