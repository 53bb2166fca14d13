// What surrounds a match decides whether it means what it says: a negator on either side within its clause, a
// past or resolved event, quotation marks, someone else's words. All positions are in normalized text (NFKC, lower
// case, Simplified), so full-width punctuation is already ASCII here.

import { Clauses } from './clauses.ts';
import { asks, capitals, conditionQuestion, hypothetical, mayBeConditional, shouted } from './conditions.ts';
import { casedText, hasCjk, isCjk, WordBoundaries } from './matching.ts';

// Negators right before a Chinese match (不退, 没投诉); others' refusal (不给退, 不肯退) and A-not-A (要不要) negate nothing.
// Cantonese negators (唔係投訴, 冇退款) arrive here as 不 and 没 (fold-cantonese.ts).
const ZH_NEGATOR_NEAR = /[不没无别未勿莫](?![给让肯予同准够止])[^不没无别未勿莫,]{0,2}$/;
// Negating phrases anywhere earlier in the clause.
const ZH_NEGATOR_FAR =
  /没有什么|没什么|不用|无需|无须|不需要|不需|不必|没必要|用不着|不想|不打算|没打算|不准备|不会再|不再|没有要|不是要|并不|并没|不至于|不考虑|暂不|没想|谈不上|算不上|不算/;
// Negation after the match within its clause: 续费就算了, 退款不需要了, 投诉倒不至于.
const ZH_NEGATOR_AFTER =
  /^(?:不了|不上|不进)|^[^,]{0,4}?(?:再说|还不一定|就算了|算了|不用了|不需要|不要了|就不了|不了了|没必要|不必了|倒不至于|不至于|谈不上|不是重点)/;
const LATIN = /[a-z]/;
const STILL = new Set([...'还都仍一']);
const EN_NEGATORS = new Set([
  'not',
  'no',
  'cannot',
  'never',
  'dont',
  'without',
  'nothing',
  'none',
  'hardly',
  'zero',
  'nor',
  'neither',
]);
const EN_NEGATOR_FAR =
  /\b(?:no need to|don't need|do not need|don't want|do not want|no longer|not going to|not planning|not looking to|no plans? to|won't|will not|not interested in)\b/;
const CONDITION_AFTER = /^\W*(?:if|unless|until|when)\b/;
const EN_NEGATOR_AFTER =
  /^\W{0,3}(?:\w+\W+){0,3}?(?:is not|isn't|not needed|no longer needed|not necessary|unnecessary|no thanks|is off the table|isn't needed|won't be needed)\b/;

/** Whether a negator governs the match [start, end): before it or after it, within its clause, zh and en. */
export function negated(
  clauses: Clauses,
  start: number,
  end = start,
  [from, to] = clauses.around(start, end),
): boolean {
  const { text } = clauses;
  const before = text.slice(from, start);
  const after = text.slice(end, to);
  if (isCjk(text.charCodeAt(start))) {
    const near = ZH_NEGATOR_NEAR.exec(before);
    const i = near ? start - near[0].length : -1;
    // 要不要, 贵不贵 (A-not-A) ask; 还没退款, 都没发货 (still not) complain that it has not happened yet.
    if (near && !(i > 0 && (text[i - 1] === text[i + 1] || STILL.has(text[i - 1]!)))) return true;
    if (ZH_NEGATOR_FAR.test(before) || ZH_NEGATOR_AFTER.test(after)) return true;
  }
  // English negators only matter where the clause has Latin letters.
  if (!LATIN.test(before) && !LATIN.test(after)) return false;
  // "…elsewhere if this isn't fixed": a negation in a following condition belongs to the condition.
  if (EN_NEGATOR_FAR.test(before) || (EN_NEGATOR_AFTER.test(after) && !CONDITION_AFTER.test(after)))
    return true;
  const words = before
    .split(/[^a-z']+/)
    .filter(Boolean)
    .slice(-4);
  // "still no refund" complains that it has not come; it does not turn the refund down.
  return words.some((w, k) => (EN_NEGATORS.has(w) || w.endsWith("n't")) && words[k - 1] !== 'still');
}

// A past or settled event: the refund already arrived, the complaint was handled, thanks for fixing it.
const RESOLVED =
  /已签收|收到货了|已经收到|arrived fine|arrived[^.!?]{0,24}(?:thank|lovely|fine|all good)|(?:到了|收到了)[^。!?]{0,8}(?:没问题|谢谢)|已经?到[账帐]|到[账帐]了|已经?收到(?:了|退款|钱)|退款?收到了|钱收到了|已经?解决|解决了|处理好了|处理得(?:挺|很|还|蛮)?好|处理[的得](?:挺|很|还|蛮)?快|没事了|不追究|不用再跟(?:进)?了|已经?处理|处理完了|搞定了|弄好了|修好了|(?:更新|重启|升级|修复)[^,.!?。]{0,8}就?好了|已经?退(?:了|回|款了)|退回来了|已经?退给|上次.{0,10}已经|之前.{0,10}已经|已经.{0,8}(?:好了|退了|到了)|谢谢.{0,6}(?:处理|解决|帮忙)(?![^。!?]*(?:这次|又|还是|再次))|\b(?:got|received) (?:my|the|our) (?:refund|money)|refund[^.!?]{0,30}(?:came|arrived|went|has gone) through|(?:refund|money|credit)[^.!?]{0,30}(?:came in|landed|has landed)|(?:was|been|is|got|all) (?:resolved|refunded|sorted|fixed|taken care of)|handled (?:nicely|well|quickly)|thanks? (?:you )?for (?:fixing|sorting|resolving|handling|the refund|refunding)|(?:refund|money) (?:received|credited)|credited (?:to|back)|case closed|matter (?:is )?closed|consider (?:that|this|it)(?: one)? closed|(?:it'?s|is|all) sorted|seems? (?:to be )?fixed|we(?:'re| are) settled|received[^.!?]{0,20}thank|resolved now|sorted now|working fine now|works fine now|works now|working now|(?:came|arrived)[^.!?]{0,40}all good|hit (?:my|our|the) (?:account|card)|issue is closed|现在一点问题(?:都)?没有|现在用得(?:挺|很)好|再也没(?:有)?出现|(?:以后|之后)一直很稳定|(?:been|is|was) (?:fine|perfect|great) since|all gone now|处理得很?及时|(?:之后|以后)(?:一直很稳|好多了)|(?:(?:谢谢|感谢|多谢|辛苦)[^。!?]{0,12}(?:昨天|前天|上次|上周|那天)|(?:昨天|前天|上次|上周)[^。!?]{0,24}(?:谢谢|感谢|辛苦了|点赞|点个赞))(?![^。!?]*(?:这次|又|还是|再次))|(?:\bthanks?(?: you)?\b[^.!?]{0,40}\b(?:yesterday|last (?:week|time))|\b(?:yesterday|last (?:week|time))\b[^.!?]{0,40}\bthank)(?![^.!?]*\b(?:again|still|this time)\b)/;

/** Whether the sentence holding the match (up to a contrast) speaks of a past or resolved event. */
export function resolved(clauses: Clauses, start: number, end: number): boolean {
  const [from, to] = clauses.around(start, end, true);
  return RESOLVED.test(clauses.text.slice(from, to));
}

// Someone else's words, view or past experience: 我朋友说…, 听说…, 闺蜜上次…, my friend said…, my friend had…
const REPORTED =
  /(?:朋友|同事|闺蜜|老公|老婆|家人|孩子|儿子|女儿|妈妈|爸爸|我妈|我姐|我妹|姐姐|妹妹|老板|领导|同学|邻居|别人|有人|他们|他|她)(?:上次|之前|昨天|刚才|也|都|一直|跟我|和我|对我)?(?:说|讲|话|想)|听说|据说|网上说|网上看到|(?:朋友|闺蜜|同事|姐妹|邻居|亲戚|同学|表姐|表妹|姐姐|妹妹|我姐|我妹|隔壁)[^,.!?;。]{0,4}(?:上次|之前|以前|去年|前阵子|那次|买的|买了|买你们|在你们|用过|做过)|\b(?:my (?:friends?|colleagues?|boss|wife|husband|partner|mom|mum|dad|son|daughter|sister|brother|neighbou?r|manager) (?:said|says|told|wanted|wants|thinks|thought)|someone (?:said|told)|i heard|people say|they say)\b|\b(?:my|a) (?:friends?|colleagues?|sister|brother|cousin|neighbou?r|previous company|old company|former employer)(?:'s)? [^.!?;]{0,30}\b(?:had|got|was|were|went|did|used|tried|bought|returned)\b/;

/** Whether the match is in a clause reporting someone else's words (the clause only: 孩子说想学，我们还在商量). */
export function reported(
  clauses: Clauses,
  start: number,
  end: number,
  [from] = clauses.around(start, end),
): boolean {
  return REPORTED.test(clauses.text.slice(from, start));
}

const QUOTES = /["'“‘「『《]/;
const OPEN_CLOSE: Record<string, string> = {
  '“': '”',
  '‘': '’',
  '「': '」',
  '『': '』',
  '"': '"',
  "'": "'",
  '《': '》',
};
const LETTER = /[\p{L}\p{N}]/u;
const LATIN_WORD = /[a-z0-9]/;

/** Spans [open, close] of quoted text in the message; a match inside one names a word, it does not use it. */
export function quotedSpans(text: string): number[] {
  const spans: number[] = [];
  if (!QUOTES.test(text)) return spans;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const close = OPEN_CLOSE[c];
    if (!close) continue;
    // A straight single quote opens only after a space or the start (not an apostrophe as in don't, customers').
    if (c === "'" && ((i > 0 && LATIN_WORD.test(text[i - 1]!)) || !LETTER.test(text[i + 1] ?? ''))) continue;
    let j = text.indexOf(close, i + 1);
    while (c === "'" && j >= 0 && LATIN_WORD.test(text[j + 1] ?? '')) j = text.indexOf(close, j + 1);
    if (j < 0) break;
    // Only short quotes count: a long one is more likely the message itself than a word being named (a Chinese word
    // is a few characters, an English name of a button or form a few words).
    if (j - i <= (hasCjk(text, i, j) ? 12 : 32)) spans.push(i, j);
    i = j;
  }
  return spans;
}

export function inSpans(spans: readonly number[], start: number): boolean {
  for (let i = 0; i < spans.length; i += 2) if (start > spans[i]! && start < spans[i + 1]!) return true;
  return false;
}

/** Whether the text reads as Chinese, so English terms inside it are mixed-language words. */
export function chineseText(text: string): boolean {
  let cjk = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isCjk(c)) cjk++;
    else if (c >= 97 && c <= 122) latin++;
  }
  return cjk >= 2 && cjk * 3 >= latin;
}

// Verdicts about a match that hold for every rule asking: negated (or reported, or supposed), supposed, in a question,
// a condition asked about, resolved.
const NEGATED = 1;
const SUPPOSED = 2;
const ASKED = 4;
const CONDITION_ASKED = 8;
const SETTLED = 16;

/** What counts of a rule's match besides where it is: how the context judges it (see TagRule). */
export interface JudgedRule {
  index: number;
  negation: boolean;
  resolved: boolean;
  conditional: boolean;
  hypothetical: boolean;
  shout: boolean;
}

/** What is computed once per message and only when a match needs it: words, quotes, clauses, whether it is Chinese. */
export class MatchContext {
  private spans: number[] | null = null;
  private isChinese: boolean | null = null;
  private anyChinese: boolean | null = null;
  private clauses: Clauses | null = null;
  private cased: string | null = null;
  private loud: boolean | null = null;
  private supposing: boolean | null = null;
  // Per match (start, end): which verdicts are judged (bits << 8) and which of them hold (bits).
  private readonly verdicts = new Map<number, number>();
  readonly words: WordBoundaries;
  /**
   * `typed` is the message before normalizing (for shouting); `unless` holds (rule, start, end) triples of clause
   * excludes seen in the text.
   */
  constructor(
    private readonly text: string,
    private readonly typed: string,
    private readonly unless: readonly number[],
  ) {
    this.words = new WordBoundaries(text);
  }

  /** Whether the text holds any Chinese character: a rule written for Chinese needs one for its terms and regexes. */
  get hasChinese(): boolean {
    this.anyChinese ??= hasCjk(this.text);
    return this.anyChinese;
  }

  get chinese(): boolean {
    this.isChinese ??= chineseText(this.text);
    return this.isChinese;
  }

  /** Whether a match of the rule at [start, end) means what it says: not quoted, negated, reported or resolved. */
  counts(rule: JudgedRule, start: number, end: number): boolean {
    // Cheap refusals first: most messages hold too few capitals to shout, and no condition to ask about.
    if (rule.shout) {
      this.loud ??= capitals(this.typed) >= 8;
      if (!this.loud) return false;
    }
    this.spans ??= quotedSpans(this.text);
    if (this.spans.length && inSpans(this.spans, start)) return false;
    if (rule.conditional) this.supposing ??= mayBeConditional(this.text);
    const conditional = rule.conditional && this.supposing === true;
    if (
      !(
        rule.negation ||
        rule.resolved ||
        rule.hypothetical ||
        conditional ||
        rule.shout ||
        this.unless.length
      )
    )
      return true;
    this.clauses ??= new Clauses(this.text);
    const { clauses } = this;
    const clause = clauses.around(start, end);
    if (rule.shout) {
      this.cased ??= casedText(this.typed, this.text);
      if (!shouted(this.cased, clause, start, end)) return false;
    }
    if (this.unless.length && this.excludedInClause(rule.index, clause)) return false;
    if (rule.negation && this.judged(NEGATED, start, end, clause)) return false;
    // 如果今天下单明天能到吗 asks about a real delivery; only a supposed event stated as one (if it is delayed,…) is not.
    if (
      rule.hypothetical &&
      !rule.negation &&
      this.judged(SUPPOSED, start, end, clause) &&
      !this.judged(ASKED, start, end, clause)
    )
      return false;
    if (conditional && this.judged(CONDITION_ASKED, start, end, clause)) return false;
    return !(rule.resolved && this.judged(SETTLED, start, end, clause));
  }

  /** One rule-independent verdict about the match [start, end), judged once per match (see the verdict bits). */
  private judged(verdict: number, start: number, end: number, clause: [number, number]): boolean {
    const key = start * (this.text.length + 1) + end;
    let known = this.verdicts.get(key) ?? 0;
    if (!(known & (verdict << 8))) {
      const clauses = this.clauses!;
      let yes: boolean;
      if (verdict === NEGATED)
        yes =
          negated(clauses, start, end, clause) ||
          reported(clauses, start, end, clause) ||
          hypothetical(clauses, start, end, clause);
      else if (verdict === SUPPOSED) yes = hypothetical(clauses, start, end, clause);
      else if (verdict === ASKED) yes = asks(clauses, clause);
      else if (verdict === CONDITION_ASKED) yes = conditionQuestion(clauses, start, end, clause);
      else yes = resolved(clauses, start, end);
      known |= (verdict << 8) | (yes ? verdict : 0);
      this.verdicts.set(key, known);
    }
    return (known & verdict) !== 0;
  }

  /** Whether one of the rule's clause excludes lies in the clause [from, to). */
  private excludedInClause(rule: number, [from, to]: [number, number]): boolean {
    const { unless } = this;
    for (let i = 0; i < unless.length; i += 3)
      if (unless[i] === rule && unless[i + 1]! < to && unless[i + 2]! > from) return true;
    return false;
  }

  /** Whether one of the rule's mask terms (rule, start, end triples) covers the match. */
  masked(masks: readonly number[], rule: number, start: number, end: number): boolean {
    for (let i = 0; i < masks.length; i += 3)
      if (masks[i] === rule && masks[i + 1]! <= start && masks[i + 2]! >= end) return true;
    return false;
  }

  /**
   * Whether the regex matches somewhere it counts (not inside one of the rule's mask terms, see `masked`); a bounded
   * number of tries, each skipping a match that does not.
   */
  regexMatches(re: RegExp, rule: JudgedRule, masks: readonly number[]): boolean {
    re.lastIndex = 0;
    for (let tries = 0; tries < 20; tries++) {
      const m = re.exec(this.text);
      if (!m) return false;
      const end = m.index + m[0].length;
      if (!this.masked(masks, rule.index, m.index, end) && this.counts(rule, m.index, end)) return true;
      if (m[0] === '') re.lastIndex++;
    }
    return false;
  }
}
