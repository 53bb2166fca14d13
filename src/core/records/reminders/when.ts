import { fromZoned, zonedParts } from '../../kernel/time/zone.ts';

/** A moment read from the start of a reminder, and the reminder text after it. */
export interface ParsedWhen {
  at: number;
  rest: string;
}

/** Part of the day a word names; it shifts a 12-hour reading and gives the hour when none is said. */
type Period = 'early' | 'am' | 'noon' | 'pm' | 'dusk' | 'night';
/** The next such weekday to come, the one in this (Monday-first) week, or the one in next week. */
type WeekdayMode = 'coming' | 'this' | 'next';
type DaySpec = { dayNum: number } | { weekday: number; mode: WeekdayMode };
interface Found<T> {
  value: T;
  end: number;
}
interface Clock {
  hour: number;
  minute: number;
  second: number;
}
type FoundDay = Found<{ day: DaySpec; period: Period | null }>;

const DAY_MS = 86_400_000;
const MAX_EPOCH_MS = 8.64e15;
const DEFAULT_HOUR = 9;
const PERIOD_HOUR: Record<Period, number | null> = {
  early: null,
  am: 9,
  noon: 12,
  pm: 15,
  dusk: 18,
  night: 20,
};
const PERIOD_WORDS = new Map<string, Period>(
  'early:凌晨 am:上午,早上,早晨,清晨,早,morning noon:中午,noon pm:下午,afternoon dusk:傍晚,evening night:晚上,夜里,晚,night'
    .split(' ')
    .flatMap((group) => {
      const [period, words = ''] = group.split(':') as [Period, string];
      return words.split(',').map((word): [string, Period] => [word, period]);
    }),
);
const EN_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS };
const CN_UNIT: Record<string, string> = {
  分钟: 'm',
  分: 'm',
  小时: 'h',
  钟头: 'h',
  天: 'd',
  日: 'd',
  周: 'w',
  星期: 'w',
  礼拜: 'w',
};

// Sticky patterns over the normalised input (ASCII lower case, full-width forms folded).
const NUM = '(\\d{1,3}|[零一二两三四五六七八九十]{1,3})';
// A lone Chinese digit after 点 is minutes only with 分 (三点一刻, 三点五分; not 三点一起).
const MINUTE =
  '(\\d{1,2}|零[一二三四五六七八九]|[一二两三四五六七八九十]{2,3}|[一二两三四五六七八九十](?=分))';
const EN_UNITS = '(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)(?![a-z])';
const RE = {
  space: /\s*/y,
  separator: /[\s,，、:：]*/y,
  iso: /([1-9]\d{3})-(\d{1,2})-(\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(z|[+-]\d{2}(?::?\d{2})?)?)?(?!\d)/y,
  enDuration: new RegExp(`(in\\s+)?((?:(?:\\d+(?:\\.\\d+)?|an?)\\s*${EN_UNITS}\\s*)+)`, 'y'),
  enUnit: /(\d+(?:\.\d+)?|an?)\s*([mhdw])/g,
  cnDuration: new RegExp(
    `(?:${NUM}个?(半)?|(半))个?(分钟|分|小时|钟头|天|日|周|星期|礼拜)(?:以后|之后|后)`,
    'y',
  ),
  enDay: /(today|tonight|tomorrow|tmrw|tmr|(?:the\s+)?day\s+after\s+tomorrow)(?![a-z\d])/y,
  cnDay: /(大后天|后天|明天|明日|明儿|今天|今日)|([今明])([早晚])/y,
  enWeekday:
    /(?:(next|this|on)\s+)?(monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)(?![a-z\d])/y,
  cnWeekday: /(下个?|下一个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天1-7])/y,
  cnDate: new RegExp(`(?:([1-9]\\d{3})年)?${NUM}月${NUM}[日号]`, 'y'),
  period:
    /(凌晨|上午|早上|早晨|清晨|中午|下午|傍晚|晚上|夜里|早|晚|(?:morning|noon|afternoon|evening|night)(?![a-z]))/y,
  at: /(?:at|@)\s*/y,
  colon: /(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)/y,
  enHour: /(\d{1,2})(?=\s*[ap]\.?m\.?(?![a-z\d]))/y,
  ampm: /\s*([ap])\.?m\.?/y,
  cnHour: new RegExp(`${NUM}[点时](?:(半)|(一刻)|(三刻)|(整)|${MINUTE}分?)?钟?`, 'y'),
};

/** Lower-cases ASCII and folds full-width ASCII, one code unit for one, so `rest` can be cut from the input. */
function normalize(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
    else if (code === 0x3000) code = 0x20;
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    out += String.fromCharCode(code);
  }
  return out;
}

function match(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

const endOf = (m: RegExpExecArray) => m.index + m[0].length;
const skipSpace = (s: string, pos: number) => pos + (match(RE.space, s, pos)?.[0].length ?? 0);

/** Arabic or Chinese numerals (一…九十九, 两, a leading 零); NaN when malformed. */
function toNumber(text: string | undefined): number {
  if (!text) return Number.NaN;
  if (/^\d+$/.test(text)) return Number(text);
  const digit = (ch: string | undefined) =>
    ch ? '零一二三四五六七八九'.indexOf(ch.replace('两', '二')) : -1;
  const m = /^([一二两三四五六七八九])?(十)?([零一二两三四五六七八九])?$/.exec(text.replace(/^零(?=.)/, ''));
  if (!m || (!m[2] && m[1] && m[3])) return Number.NaN;
  if (!m[2]) return digit(m[1] ?? m[3]);
  return (m[1] ? digit(m[1]) : 1) * 10 + (m[3] ? digit(m[3]) : 0);
}

function dayNumOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

function civil(dayNum: number): { year: number; month: number; day: number } {
  const d = new Date(dayNum * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The 24-hour reading of a 12-hour `hour` said with a period; may pass midnight (晚上12点 → 24). NaN if absurd. */
function shiftHour(hour: number, period: Period | null): number {
  if (period === null) return hour;
  if (hour > 12) return period === 'am' || period === 'early' ? Number.NaN : hour;
  if (period === 'early') return hour % 12;
  if (period === 'am') return hour;
  if (period === 'noon') return hour >= 11 ? hour : hour + 12;
  // 晚上1点 is the small hours after the evening, not 13:00.
  if (period === 'night' && hour <= 4) return hour + 24;
  return hour === 12 ? (period === 'night' ? 24 : 12) : hour + 12;
}

/** A clock time at `pos`: `15:30`, `3pm`, `at 10:30am`, `下午3点半`, `十点零五分`, or a period alone (`下午`). */
function readClock(s: string, pos: number, afterDay: boolean, dayPeriod: Period | null): Found<Clock> | null {
  let at = pos;
  const atWord = match(RE.at, s, at);
  if (atWord && (/\d/.test(s[endOf(atWord)] ?? '') || match(RE.period, s, endOf(atWord)))) at = endOf(atWord);
  const periodMatch = match(RE.period, s, at);
  const period = periodMatch ? (PERIOD_WORDS.get(periodMatch[1] ?? '') ?? null) : dayPeriod;
  if (periodMatch) at = skipSpace(s, endOf(periodMatch));
  const colon = match(RE.colon, s, at);
  const enHour = colon ? null : match(RE.enHour, s, at);
  const cn = colon || enHour ? null : match(RE.cnHour, s, at);
  const hourMatch = colon ?? enHour ?? cn;
  if (!hourMatch) {
    const word = periodMatch?.[1] ?? '';
    // A bare one-character period (早点, 晚点) is ordinary speech; English ones need a day (tomorrow morning).
    const spoken = periodMatch ? word.length > 1 && (afterDay || !/^[a-z]/.test(word)) : dayPeriod !== null;
    const hour = period && spoken ? PERIOD_HOUR[period] : null;
    if (hour == null) return null;
    return { value: { hour, minute: 0, second: 0 }, end: periodMatch ? endOf(periodMatch) : pos };
  }
  let end = endOf(hourMatch);
  const raw = toNumber(hourMatch[1]);
  // In office talk a bare 1点–6点 is the afternoon (3点回电话 = 15:00); 凌晨/早上 say otherwise.
  const officeHour = cn && period === null && raw >= 1 && raw <= 6 ? 'pm' : period;
  let hour = raw <= 23 ? shiftHour(raw, officeHour) : Number.NaN;
  let minute = 0;
  let second = 0;
  if (colon) {
    minute = Number(colon[2]);
    second = Number(colon[3] ?? 0);
  } else if (cn) {
    minute = cn[2] ? 30 : cn[3] ? 15 : cn[4] ? 45 : cn[6] ? toNumber(cn[6]) : 0;
  }
  const ampm = cn ? null : match(RE.ampm, s, end);
  if (ampm && !/[a-z\d]/.test(s[endOf(ampm)] ?? '')) {
    hour = raw >= 1 && raw <= 12 ? (raw % 12) + (ampm[1] === 'p' ? 12 : 0) : Number.NaN;
    end = endOf(ampm);
  }
  const valid = hour >= 0 && minute <= 59 && second <= 59;
  return { value: valid ? { hour, minute, second } : { hour: Number.NaN, minute, second }, end };
}

/** A day at `pos`: 明天, 今晚, tomorrow, 周五, next fri, 12月1日; with the period that 今晚/明早/tonight name. */
function readDay(s: string, pos: number, today: number): FoundDay | null {
  const found = (day: DaySpec, m: RegExpExecArray, period: Period | null = null) => ({
    value: { day, period },
    end: endOf(m),
  });
  const en = match(RE.enDay, s, pos);
  if (en) {
    const word = en[1] ?? '';
    const offset = word === 'today' || word === 'tonight' ? 0 : word.includes('after') ? 2 : 1;
    return found({ dayNum: today + offset }, en, word === 'tonight' ? 'night' : null);
  }
  const cn = match(RE.cnDay, s, pos);
  if (cn) {
    const offsets: Record<string, number> = { 大后天: 3, 后天: 2, 明天: 1, 明日: 1, 明儿: 1, 明: 1 };
    const period = cn[3] ? (PERIOD_WORDS.get(cn[3]) ?? null) : null;
    return found({ dayNum: today + (offsets[cn[1] ?? cn[2] ?? ''] ?? 0) }, cn, period);
  }
  const enWeek = match(RE.enWeekday, s, pos);
  if (enWeek) {
    const mode: WeekdayMode = enWeek[1] === 'next' ? 'next' : enWeek[1] === 'this' ? 'this' : 'coming';
    return found({ weekday: EN_WEEKDAYS.indexOf(enWeek[2]?.slice(0, 3) ?? ''), mode }, enWeek);
  }
  const cnWeek = match(RE.cnWeekday, s, pos);
  if (cnWeek) {
    const mode: WeekdayMode = cnWeek[1]?.startsWith('下') ? 'next' : cnWeek[1] ? 'this' : 'coming';
    const name = cnWeek[2] ?? '';
    const weekday = /\d/.test(name) ? Number(name) % 7 : '日一二三四五六天'.indexOf(name) % 7;
    return found({ weekday, mode }, cnWeek);
  }
  const cnDate = match(RE.cnDate, s, pos);
  if (!cnDate) return null;
  const thisYear = civil(today).year;
  const [month, date] = [toNumber(cnDate[2]), toNumber(cnDate[3])];
  let year = cnDate[1] ? Number(cnDate[1]) : thisYear;
  // Without a year, a date already gone this year means next year's.
  if (!cnDate[1] && validDate(year, month, date) && dayNumOf(year, month, date) < today) year += 1;
  return found({ dayNum: validDate(year, month, date) ? dayNumOf(year, month, date) : Number.NaN }, cnDate);
}

/** A span from now: `in 2h`, `30 min`, `in a week`, `1h30m`, `2小时后`, `一个半小时后`, `三天后`. */
function readDuration(s: string, pos: number, now: number, timeZone: string): Found<number> | null {
  const parts: [number, string][] = [];
  const en = match(RE.enDuration, s, pos);
  for (const unit of en ? (en[2] ?? '').matchAll(RE.enUnit) : []) {
    const article = unit[1] === 'a' || unit[1] === 'an';
    // `in a day` is a time; `a day off` is text.
    if (article && !en?.[1]) return null;
    parts.push([article ? 1 : Number(unit[1]), unit[2] ?? '']);
  }
  const cn = en ? null : match(RE.cnDuration, s, pos);
  if (cn) {
    const half = cn[2] !== undefined || cn[3] !== undefined;
    const unit = CN_UNIT[cn[4] ?? ''] ?? '';
    const whole = cn[3] ? 0 : toNumber(cn[1]);
    if (Number.isNaN(whole) || (half && unit !== 'h')) return null;
    parts.push([whole + (half ? 0.5 : 0), unit]);
  }
  const m = en ?? cn;
  if (!m || parts.length === 0) return null;
  let days = 0;
  let ms = 0;
  for (const [amount, unit] of parts) {
    const whole = unit === 'd' || unit === 'w' ? Math.trunc(amount) * (unit === 'w' ? 7 : 1) : 0;
    days += whole;
    ms += amount * (UNIT_MS[unit] ?? 0) - whole * DAY_MS;
  }
  // Whole days keep the wall-clock time across a DST change; hours and minutes are exact.
  const p = zonedParts(now, timeZone);
  const base = days === 0 ? now : fromZoned({ ...p, day: p.day + days }, timeZone) + (now % 1000);
  return { value: base + ms, end: endOf(m) };
}

/**
 * Reads a time expression at the start of `input` ("明天10点", "in 2h", "fri 3pm", "2026-12-01T10:00Z") in
 * `timeZone`, relative to `now`; returns the moment and the trimmed text after it, or null when the input does not
 * start with a time this understands or names an impossible one (month 13, 25点). Never throws.
 */
export function parseWhen(input: string, now: number, timeZone: string): ParsedWhen | null {
  try {
    return parse(input, now, timeZone);
  } catch {
    return null;
  }
}

function parse(input: string, now: number, timeZone: string): ParsedWhen | null {
  if (typeof input !== 'string' || !Number.isFinite(now)) return null;
  const s = normalize(input);
  const start = skipSpace(s, 0);
  const done = (at: number, end: number): ParsedWhen | null => {
    if (!(Math.abs(at) <= MAX_EPOCH_MS)) return null;
    return { at, rest: input.slice(end + (match(RE.separator, s, end)?.[0].length ?? 0)).trim() };
  };
  const local = zonedParts(now, timeZone);
  const today = dayNumOf(local.year, local.month, local.day);
  let day: FoundDay | null = null;
  const iso = match(RE.iso, s, start);
  if (iso) {
    const [year, month, date] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (!validDate(year, month, date)) return null;
    if (iso[4] === undefined) {
      day = { value: { day: { dayNum: dayNumOf(year, month, date) }, period: null }, end: endOf(iso) };
    } else {
      const clock = { hour: Number(iso[4]), minute: Number(iso[5]), second: Number(iso[6] ?? 0) };
      if (clock.hour > 23 || clock.minute > 59 || clock.second > 59) return null;
      if (!iso[7]) return done(fromZoned({ year, month, day: date, ...clock }, timeZone), endOf(iso));
      const [, sign, hh = '0', mm = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(iso[7]) ?? [];
      if (Number(hh) > 23 || Number(mm) > 59) return null;
      const offsetMs = (Number(hh) * 60 + Number(mm)) * 60_000 * (sign === '-' ? -1 : 1);
      return done(
        Date.UTC(year, month - 1, date, clock.hour, clock.minute, clock.second) - offsetMs,
        endOf(iso),
      );
    }
  }
  if (!day) {
    const duration = readDuration(s, start, now, timeZone);
    if (duration) return done(duration.value, duration.end);
    day = readDay(s, start, today);
  }
  let clock: Found<Clock> | null;
  if (day) {
    clock = readClock(s, skipSpace(s, day.end), true, day.value.period);
  } else {
    clock = readClock(s, start, false, null);
    if (!clock) return null;
    // The day may follow the time: `3pm tomorrow`, `10点 周五`.
    day = readDay(s, skipSpace(s, clock.end), today);
    if (day?.value.period) day = null;
  }
  const end = Math.max(day?.end ?? 0, clock?.end ?? 0);
  const time = clock?.value ?? { hour: DEFAULT_HOUR, minute: 0, second: 0 };
  const at = (dayNum: number) => fromZoned({ ...civil(dayNum), ...time }, timeZone);
  const spec = day?.value.day;
  if (!spec) return done(at(today) > now ? at(today) : at(today + 1), end);
  if ('dayNum' in spec) return done(at(spec.dayNum), end);
  const mondayFirst = (weekday: number) => (weekday + 6) % 7;
  const thisWeek = today - mondayFirst(local.weekday) + mondayFirst(spec.weekday);
  if (spec.mode !== 'coming') return done(at(thisWeek + (spec.mode === 'next' ? 7 : 0)), end);
  const ahead = (spec.weekday - local.weekday + 7) % 7;
  if (ahead > 0) return done(at(today + ahead), end);
  return done(clock && at(today) > now ? at(today) : at(today + 7), end);
}
