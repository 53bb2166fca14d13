import { fromZoned, zonedParts } from '../../kernel/time/zone.ts';
import { type Clock, readClock } from './when-clock.ts';
import { type FoundDay, readDay } from './when-day.ts';
import { readDuration } from './when-span.ts';
import { civil, dayNumOf, endOf, type Found, match, normalize, skipSpace, validDate } from './when-text.ts';

/** A moment read from the start of a reminder, and the reminder text after it. */
export interface ParsedWhen {
  at: number;
  rest: string;
}

const MAX_EPOCH_MS = 8.64e15;
const DEFAULT_HOUR = 9;
const RE = {
  separator: /[\s,，、:：]*/y,
  iso: /([1-9]\d{3})-(\d{1,2})-(\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(z|[+-]\d{2}(?::?\d{2})?)?)?(?!\d)/y,
  // A small number alone after a day (`tomorrow 10 call`) may be an hour or a count: neither is guessed.
  bareNumber: /(\d{1,2})(?=$|[\s,，、])/y,
};

/**
 * Reads a time expression at the start of `input` ("明天10点", "in 2h", "fri 3pm", "12/20 14:00",
 * "2026-12-01T10:00Z") in `timeZone`, relative to `now`; returns the moment and the trimmed text after it, or null
 * when the input does not start with a time this understands or names an impossible one (month 13, 25点). A bare
 * hour reads as office hours (3点 and 3:00 are 15:00, 8:30 is 08:30); a period word shifts it (晚上10点, tonight at
 * 9); a time alone already past today is tomorrow's. Never throws.
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
      return readIsoTime(iso, timeZone, done);
    }
  }
  if (!day) {
    const duration = readDuration(s, start, now, timeZone);
    if (duration) return done(duration.value, duration.end);
    day = readDay(s, start, today);
  }
  let clock: Found<Clock> | null;
  if (day) {
    const after = skipSpace(s, day.end);
    clock = readClock(s, after, true, day.value.period);
    if (!clock && match(RE.bareNumber, s, after)) return null;
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

/** An ISO date with a time: wall clock in the zone, or the moment its explicit offset names. */
function readIsoTime(
  iso: RegExpExecArray,
  timeZone: string,
  done: (at: number, end: number) => ParsedWhen | null,
): ParsedWhen | null {
  const [year, month, date] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const clock = { hour: Number(iso[4]), minute: Number(iso[5]), second: Number(iso[6] ?? 0) };
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 59) return null;
  if (!iso[7]) return done(fromZoned({ year, month, day: date, ...clock }, timeZone), endOf(iso));
  const [, sign, hh = '0', mm = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(iso[7]) ?? [];
  if (Number(hh) > 23 || Number(mm) > 59) return null;
  const offsetMs = (Number(hh) * 60 + Number(mm)) * 60_000 * (sign === '-' ? -1 : 1);
  return done(Date.UTC(year, month - 1, date, clock.hour, clock.minute, clock.second) - offsetMs, endOf(iso));
}
