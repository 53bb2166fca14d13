// Conditions and guesses are not events: 如果坏了…, 质量有问题的话…, if it breaks…; and a question that sets a
// condition (质量有问题的话可以退吗, can I return it if it doesn't fit?) asks about policy, it reports nothing. Shouting
// is read from the text as typed, before lower-casing. Positions are in normalized text (see context.ts).
import type { Clauses } from './clauses.ts';

// A condition or a guess: 如果以后不续费…, 万一坏了…, 会不会变味, if it breaks…; "我就投诉" after the condition still counts.
// English "if" only opening its clause: "I want to know if…" asks whether, it does not suppose.
const HYPOTHETICAL =
  /如果|假如|万一|会不会|(?<![主需重只就])要是|假设|倘若|^\W*(?:and |so |but |even )?(?:if|in case|what if|suppose|supposing)\b/g;
const CONSEQUENT = /就|那么|那我|\b(?:then|i'll|we'll|i will|we will|i'm|we're|gonna|going to)\b/;
// 的话 closes a condition (质量有问题的话…); 说的话, 这句话 are words said, 话术 a sales script.
const CONDITION_END = /(?<![说讲听这那句])的话(?!术)/;

/** Whether the match sits in the condition of its clause: after 如果/if before any "then" part, or before 的话. */
export function hypothetical(
  clauses: Clauses,
  start: number,
  end: number,
  [from, to] = clauses.around(start, end),
): boolean {
  const { text } = clauses;
  const before = text.slice(from, start);
  // 不给退款的话我就投诉: the refund is the condition; the complaint after 就 is the consequent and counts.
  const closing = text.indexOf('的话', end);
  if (closing >= 0 && closing < to) {
    const after = text.slice(end, to);
    const close = CONDITION_END.exec(after);
    if (close && !CONSEQUENT.test(after.slice(0, close.index)) && !CONDITION_END.test(before)) return true;
  }
  // Most clauses hold no condition: one plain test before looking for the last marker.
  HYPOTHETICAL.lastIndex = 0;
  if (!HYPOTHETICAL.test(before)) return false;
  HYPOTHETICAL.lastIndex = 0;
  let last = -1;
  for (const m of before.matchAll(HYPOTHETICAL)) last = m.index + m[0].length;
  return last >= 0 && !CONSEQUENT.test(before.slice(last));
}

// A condition anywhere in the sentence; "check if", "know if" ask whether (is my refund through?), they suppose nothing.
const CONDITION =
  /如果|假如|万一|(?<![主需重只就])要是|假设|倘若|(?<![说讲听这那句])的话(?!术)|\bif\b(?<!\b(?:check|see|know|ask|asking|wonder|wondering|confirm|sure|tell me|advise|find out)\sif)|\bin case\b|\bin the event\b|\bsuppose\b/;
// The clause asks: a question particle at its end, A-not-A, "can/will/do…" opening it (its "?" is checked apart).
const ZH_ASKING =
  /[吗嘛呢][\s~]*$|能不能|可不可以|可以不|行不行|会不会|给不给|包不包|管不管|负不负责|是否|怎么办|怎么处理|怎么算|咋办|咋整/;
const EN_ASKING =
  /^\W*(?:and |so |then |but )?(?:can|could|will|would|do|does|is|are|may|should|what happens|how|what do)\b/;

/** Whether the clause [from, to) asks: a "?" after it, a question particle or A-not-A, or "can/will/do…" opening it. */
export function asks(clauses: Clauses, [from, to]: [number, number]): boolean {
  const { text } = clauses;
  const clause = text.slice(from, to);
  return text[to] === '?' || ZH_ASKING.test(clause) || EN_ASKING.test(clause);
}

/** Whether the message holds a condition marker at all (most do not): one test before any clause is looked at. */
export function mayBeConditional(text: string): boolean {
  return CONDITION.test(text);
}

/** Whether the match is in a question that sets a condition (…的话可以退吗, can I return it if…?): policy, not event. */
export function conditionQuestion(
  clauses: Clauses,
  start: number,
  end: number,
  [from, to] = clauses.around(start, end),
): boolean {
  if (!asks(clauses, [from, to])) return false;
  const { text } = clauses;
  const [sentenceFrom, sentenceTo] = clauses.around(start, end, true);
  return CONDITION.test(text.slice(sentenceFrom, Math.max(sentenceTo, to)));
}

/**
 * Whether the clause holding [start, end) is shouted: the match's own letters all capitals and its clause mostly
 * capitals (at least 8 of them), so "I need it NOW" (emphasis) or an acronym (FOB, USD) is not shouting.
 */
export function shouted(cased: string, [from, to]: [number, number], start: number, end: number): boolean {
  if (!cased) return false;
  let upper = 0;
  for (let i = start; i < end; i++) {
    const c = cased.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) upper++;
  }
  if (!upper) return false;
  let lower = 0;
  upper = 0;
  for (let i = from; i < to; i++) {
    const c = cased.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
  }
  return upper >= 8 && lower * 5 <= upper;
}

/** How many capital Latin letters the text has (stops counting at 8: enough to shout). */
export function capitals(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length && n < 8; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) n++;
  }
  return n;
}
