import { endOf, type Found, match, NUM, skipSpace, toNumber } from './when-text.ts';

/** Part of the day a word names; it shifts a 12-hour reading and gives the hour when none is said. */
export type Period = 'early' | 'am' | 'noon' | 'pm' | 'dusk' | 'night';

export interface Clock {
  hour: number;
  minute: number;
  second: number;
}

const PERIOD_HOUR: Record<Period, number | null> = {
  early: null,
  am: 9,
  noon: 12,
  pm: 15,
  dusk: 18,
  night: 20,
};
export const PERIOD_WORDS = new Map<string, Period>(
  'early:凌晨 am:上午,早上,早晨,清晨,早,morning noon:中午 pm:下午,afternoon dusk:傍晚,evening night:晚上,夜里,夜晚,晚,night'
    .split(' ')
    .flatMap((group) => {
      const [period, words = ''] = group.split(':') as [Period, string];
      return words.split(',').map((word): [string, Period] => [word, period]);
    }),
);
/** Words that name one moment of the day; eod and 下班前 give an hour before people leave. */
const EXACT_HOUR: Record<string, number> = { noon: 12, midday: 12, midnight: 24, eod: 17, 下班前: 17 };

// A lone Chinese digit after 点 is minutes only with 分 (三点一刻, 三点五分; not 三点一起).
const MINUTE =
  '(\\d{1,2}|零[一二三四五六七八九]|[一二两三四五六七八九十]{2,3}|[一二两三四五六七八九十](?=分))';
const RE = {
  at: /(?:at|@)\s*/y,
  period:
    /(凌晨|上午|早上|早晨|清晨|中午|下午|傍晚|晚上|夜里|夜晚|早|晚|(?:morning|afternoon|evening|night)(?![a-z]))/y,
  exact: /(noon|midday|midnight|eod|end of (?:the )?day|下班前)(?![a-z])/y,
  // 3.30 is a time only with am/pm after it (3.30pm); otherwise it may be a number.
  colon: /(\d{1,2})(?::|\.(?=\d{2}\s*[ap]\.?m(?![a-z])))(\d{2})(?::(\d{2}))?(?!\d)/y,
  enHour: /(\d{1,2})(?=\s*[ap]\.?m\.?(?![a-z\d]))/y,
  bare: /(\d{1,2})(?=$|[\s,，、])/y,
  ampm: /\s*([ap])\.?m\.?(?![a-z\d])/y,
  cnHour: new RegExp(`${NUM} ?[点时](?:(半)|(一刻)|(三刻)|(整)|${MINUTE}分?)?钟?`, 'y'),
  after: /(以后|之后|后(?![台面来天]))/y,
};

/** A period word at `pos` (下午, evening), if any. */
export function readPeriod(s: string, pos: number): Found<Period> | null {
  const m = match(RE.period, s, pos);
  const period = m ? PERIOD_WORDS.get(m[1] ?? '') : undefined;
  return m && period ? { value: period, end: endOf(m) } : null;
}

/** The 24-hour reading of a 12-hour `hour` said with a period; may pass midnight (晚上12点 → 24). NaN if absurd. */
function shiftHour(hour: number, period: Period): number {
  if (hour > 12) return period === 'am' || period === 'early' ? Number.NaN : hour;
  if (period === 'early') return hour % 12;
  if (period === 'am') return hour;
  if (period === 'noon') return hour >= 11 ? hour : hour + 12;
  // 晚上1点 is the small hours after the evening, not 13:00.
  if (period === 'night' && hour <= 4) return hour + 24;
  return hour === 12 ? (period === 'night' ? 24 : 12) : hour + 12;
}

/** A bare hour in office talk: 1–7 is the afternoon (3点回电话 = 15:00), 8–12 the morning and noon. */
const officeHour = (hour: number): number => (hour >= 1 && hour <= 7 ? hour + 12 : hour);

/** The clock `hour` to use, from the number said, am/pm, the period word, and how it was written. */
function resolveHour(raw: number, ampm: string | null, period: Period | null, zeroPadded: boolean): number {
  if (ampm) return raw >= 1 && raw <= 12 ? (raw % 12) + (ampm === 'p' ? 12 : 0) : Number.NaN;
  if (!(raw >= 0 && raw <= 23)) return Number.NaN;
  if (period) return shiftHour(raw, period);
  // 07:30 written with its zero is a 24-hour clock reading.
  return zeroPadded ? raw : officeHour(raw);
}

/**
 * A clock time at `pos`: `15:30`, `3pm`, `at 4`, `noon`, `下午3点半`, `十点零五分`, or a period alone (`下午`).
 * `dayPeriod` is the period a day word named (今晚, tonight); `afterDay` lets an English period stand alone.
 */
export function readClock(
  s: string,
  pos: number,
  afterDay: boolean,
  dayPeriod: Period | null,
): Found<Clock> | null {
  let at = pos;
  let atWord = false;
  const takeAt = () => {
    const m = match(RE.at, s, at);
    if (!m) return;
    const next = endOf(m);
    if (/\d/.test(s[next] ?? '') || match(RE.period, s, next) || match(RE.exact, s, next)) {
      at = next;
      atWord = true;
    }
  };
  takeAt();
  const exact = match(RE.exact, s, at);
  if (exact)
    return suffixed(
      s,
      {
        hour: EXACT_HOUR[exact[1]?.startsWith('end') ? 'eod' : (exact[1] ?? '')] ?? Number.NaN,
        minute: 0,
        second: 0,
      },
      endOf(exact),
    );
  const periodMatch = match(RE.period, s, at);
  const period = periodMatch ? (PERIOD_WORDS.get(periodMatch[1] ?? '') ?? null) : dayPeriod;
  const englishPeriod = /^[a-z]/.test(periodMatch?.[1] ?? '');
  if (periodMatch) {
    at = skipSpace(s, endOf(periodMatch));
    takeAt();
  }
  const colon = match(RE.colon, s, at);
  const enHour = colon ? null : match(RE.enHour, s, at);
  const cn = colon || enHour ? null : match(RE.cnHour, s, at);
  // A bare number is an hour only after `at` or a period (evening 7, 下午3, tonight 9); else it may be a count.
  const bare = colon || enHour || cn || !(atWord || period) ? null : match(RE.bare, s, at);
  const hourMatch = colon ?? enHour ?? cn ?? bare;
  if (!hourMatch) {
    const word = periodMatch?.[1] ?? '';
    // A bare one-character period (早点, 晚点) is ordinary speech; English ones need a day (tomorrow morning).
    const spoken = periodMatch ? word.length > 1 && (afterDay || !englishPeriod) : dayPeriod !== null;
    const hour = period && spoken ? PERIOD_HOUR[period] : null;
    if (hour == null) return null;
    return { value: { hour, minute: 0, second: 0 }, end: periodMatch ? endOf(periodMatch) : pos };
  }
  let end = endOf(hourMatch);
  const raw = toNumber(hourMatch[1]);
  let minute = 0;
  let second = 0;
  if (colon) {
    minute = Number(colon[2]);
    second = Number(colon[3] ?? 0);
  } else if (cn) {
    minute = cn[2] ? 30 : cn[3] ? 15 : cn[4] ? 45 : cn[6] ? toNumber(cn[6]) : 0;
  }
  const ampm = cn ? null : match(RE.ampm, s, end);
  if (ampm) end = endOf(ampm);
  const zeroPadded = colon !== null && /^0\d$/.test(colon[1] ?? '');
  const hour = resolveHour(raw, ampm?.[1] ?? null, period, zeroPadded);
  const valid = hour >= 0 && minute >= 0 && minute <= 59 && second <= 59;
  return suffixed(s, { hour: valid ? hour : Number.NaN, minute, second }, end);
}

/** The clock with a following 以后/之后/后 (3点以后) taken as part of it. */
function suffixed(s: string, value: Clock, end: number): Found<Clock> {
  const after = match(RE.after, s, end);
  return { value, end: after ? endOf(after) : end };
}
