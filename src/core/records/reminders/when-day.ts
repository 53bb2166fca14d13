import { PERIOD_WORDS, type Period } from './when-clock.ts';
import {
  civil,
  dayNumOf,
  daysInMonth,
  endOf,
  type Found,
  match,
  NUM,
  toNumber,
  validDate,
} from './when-text.ts';

/** The next such weekday to come, the one in this (Monday-first) week, or the one in next week. */
export type WeekdayMode = 'coming' | 'this' | 'next';
/** A calendar day (NaN when the words name an impossible one), or a weekday to place relative to today. */
export type DaySpec = { dayNum: number } | { weekday: number; mode: WeekdayMode };
export type FoundDay = Found<{ day: DaySpec; period: Period | null }>;

const EN_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?(?![a-z])';
const ORDINAL = '(\\d{1,2})(?:st|nd|rd|th)?(?![a-z\\d])';
const YEAR = '(?:,?\\s+([1-9]\\d{3})(?!\\d))?';
const CN_DAY_OFFSET: Record<string, number> = { 大后: 3, 后: 2, 明: 1, 今: 0 };

const RE = {
  on: /on\s+/y,
  enDay:
    /(today|tonight|tomorrow|tmrw|tmr|(?:the\s+)?day\s+after\s+tomorrow|this\s+(morning|afternoon|evening))(?![a-z\d])/y,
  cnDay: /(大后天|后天|明天|明日|今天|今日)|(大后|后|明|今)儿个?|([今明])([早晚])/y,
  enWeekday:
    /(?:(next|this)\s+)?(monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)(?![a-z\d])/y,
  cnWeekday: /(下个?|下一个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天1-7])/y,
  cnDate: new RegExp(`(?:([1-9]\\d{3})年)?${NUM}月${NUM}[日号]`, 'y'),
  cnNextMonth: new RegExp(`下一?个?月(?:${NUM}[日号]|(底|末)|(初))`, 'y'),
  cnMonthEdge: /月(底|末|初)/y,
  // 3号楼, 2号线 are places, not days.
  cnDayOfMonth: new RegExp(`${NUM}[日号](?![楼线码房门机院位])`, 'y'),
  slash: /(?:([1-9]\d{3})\/)?(\d{1,2})\/(\d{1,2})(?:\/([1-9]\d{3}))?(?![\d/])/y,
  enMonthDay: new RegExp(`${EN_MONTH}\\s*${ORDINAL}${YEAR}`, 'y'),
  enDayMonth: new RegExp(`(?:the\\s+)?${ORDINAL}(?:\\s+of)?\\s+${EN_MONTH}${YEAR}`, 'y'),
  theNth: /the\s+(\d{1,2})(?:st|nd|rd|th)(?![a-z\d])/y,
};

/** The next `month`/`day` to come, today included; NaN when no year has it. */
function nextYearly(month: number, day: number, today: number): number {
  const { year } = civil(today);
  // Eight years reach the next 29 February.
  for (let y = year; y <= year + 8; y++) {
    if (validDate(y, month, day) && dayNumOf(y, month, day) >= today) return dayNumOf(y, month, day);
  }
  return Number.NaN;
}

/** The next `day` of a month to come, today included (31号 skips months without one); NaN if none. */
function nextMonthly(day: number, today: number): number {
  const { year, month } = civil(today);
  for (let i = 0; i < 12; i++) {
    const y = year + Math.floor((month - 1 + i) / 12);
    const m = ((month - 1 + i) % 12) + 1;
    if (validDate(y, m, day) && dayNumOf(y, m, day) >= today) return dayNumOf(y, m, day);
  }
  return Number.NaN;
}

/** A day of the month `ahead` months from today's: a number, the last day (底), or the first (初). */
function inMonth(today: number, ahead: number, day: number | 'end'): number {
  const { year, month } = civil(today);
  const y = year + Math.floor((month - 1 + ahead) / 12);
  const m = ((month - 1 + ahead) % 12) + 1;
  const d = day === 'end' ? daysInMonth(y, m) : day;
  return validDate(y, m, d) ? dayNumOf(y, m, d) : Number.NaN;
}

function exactDay(year: number, month: number, day: number): number {
  return validDate(year, month, day) ? dayNumOf(year, month, day) : Number.NaN;
}

const monthOf = (word: string | undefined) => EN_MONTHS.indexOf((word ?? '').slice(0, 3)) + 1;

/**
 * A day at `pos`: 明天, 今晚, 今儿, tomorrow, this evening, 周五, next fri, 12月1日, 20号, 下个月5号, 月底, 12/20,
 * Dec 20, 20th December; with the period that 今晚/明早/tonight name. Dates without a year are the next to come.
 */
export function readDay(s: string, pos: number, today: number): FoundDay | null {
  const on = match(RE.on, s, pos);
  return (on && readDayAt(s, endOf(on), today)) || readDayAt(s, pos, today);
}

function readDayAt(s: string, pos: number, today: number): FoundDay | null {
  const found = (dayNum: number, m: RegExpExecArray, period: Period | null = null): FoundDay => ({
    value: { day: { dayNum }, period },
    end: endOf(m),
  });
  const en = match(RE.enDay, s, pos);
  if (en) {
    const word = en[1] ?? '';
    const offset =
      word === 'today' || word === 'tonight' || word.startsWith('this') ? 0 : word.includes('after') ? 2 : 1;
    const period = word === 'tonight' ? 'night' : (PERIOD_WORDS.get(en[2] ?? '') ?? null);
    return found(today + offset, en, period);
  }
  const cn = match(RE.cnDay, s, pos);
  if (cn) {
    const offsets: Record<string, number> = { 大后天: 3, 后天: 2, 明天: 1, 明日: 1, 明: 1 };
    const offset = cn[2] !== undefined ? (CN_DAY_OFFSET[cn[2]] ?? 0) : (offsets[cn[1] ?? cn[3] ?? ''] ?? 0);
    return found(today + offset, cn, cn[4] ? (PERIOD_WORDS.get(cn[4]) ?? null) : null);
  }
  const enWeek = match(RE.enWeekday, s, pos);
  if (enWeek) {
    const mode: WeekdayMode = enWeek[1] === 'next' ? 'next' : enWeek[1] === 'this' ? 'this' : 'coming';
    const weekday = EN_WEEKDAYS.indexOf(enWeek[2]?.slice(0, 3) ?? '');
    return { value: { day: { weekday, mode }, period: null }, end: endOf(enWeek) };
  }
  const cnWeek = match(RE.cnWeekday, s, pos);
  if (cnWeek) {
    const mode: WeekdayMode = cnWeek[1]?.startsWith('下') ? 'next' : cnWeek[1] ? 'this' : 'coming';
    const name = cnWeek[2] ?? '';
    const weekday = /\d/.test(name) ? Number(name) % 7 : '日一二三四五六天'.indexOf(name) % 7;
    return { value: { day: { weekday, mode }, period: null }, end: endOf(cnWeek) };
  }
  return readDate(s, pos, today, found);
}

function readDate(
  s: string,
  pos: number,
  today: number,
  found: (dayNum: number, m: RegExpExecArray) => FoundDay,
): FoundDay | null {
  const cnDate = match(RE.cnDate, s, pos);
  if (cnDate) {
    const [month, day] = [toNumber(cnDate[2]), toNumber(cnDate[3])];
    const dayNum = cnDate[1] ? exactDay(Number(cnDate[1]), month, day) : nextYearly(month, day, today);
    return found(dayNum, cnDate);
  }
  const next = match(RE.cnNextMonth, s, pos);
  if (next) return found(inMonth(today, 1, next[2] ? 'end' : next[3] ? 1 : toNumber(next[1])), next);
  const edge = match(RE.cnMonthEdge, s, pos);
  // 月底 is this month's last day; 月初 the first of the month to come.
  if (edge) return found(edge[1] === '初' ? inMonth(today, 1, 1) : inMonth(today, 0, 'end'), edge);
  const dom = match(RE.cnDayOfMonth, s, pos) ?? match(RE.theNth, s, pos);
  if (dom) return found(nextMonthly(toNumber(dom[1]), today), dom);
  const slash = match(RE.slash, s, pos);
  if (slash) {
    const [month, day] = [Number(slash[2]), Number(slash[3])];
    const year = slash[1] ?? slash[4];
    if (slash[1] && slash[4]) return found(Number.NaN, slash);
    return found(year ? exactDay(Number(year), month, day) : nextYearly(month, day, today), slash);
  }
  const md = match(RE.enMonthDay, s, pos);
  const dm = md ? null : match(RE.enDayMonth, s, pos);
  if (md || dm) {
    const [month, day, year] = md ? [monthOf(md[1]), md[2], md[3]] : [monthOf(dm?.[2]), dm?.[1], dm?.[3]];
    const date = Number(day);
    const m = (md ?? dm) as RegExpExecArray;
    return found(year ? exactDay(Number(year), month, date) : nextYearly(month, date, today), m);
  }
  return null;
}
