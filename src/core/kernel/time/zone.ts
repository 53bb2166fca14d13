/** A wall-clock reading in some time zone. */
export interface ZonedParts {
  year: number;
  /** 1 (January) … 12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 (Sunday) … 6 (Saturday). */
  weekday: number;
}

/** A wall-clock time to place in a time zone; fields out of range roll over like `Date.UTC`. */
export interface ZonedInput {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

const DAY_MS = 86_400_000;

// Constructing an Intl.DateTimeFormat costs far more than using one, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds since the epoch for a UTC wall clock, years 0–99 included (`Date.UTC` reads them as 19xx). */
function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 0 || year >= 100) return ms;
  const date = new Date(ms);
  date.setUTCFullYear(date.getUTCFullYear() - 1900);
  return date.getTime();
}

/**
 * The wall clock in `timeZone` at `epochMs` (milliseconds are dropped).
 * Throws a RangeError for an unknown time zone or an invalid moment.
 */
export function zonedParts(epochMs: number, timeZone: string): ZonedParts {
  const fields: Record<string, number> = {};
  let beforeChrist = false;
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type === 'era') beforeChrist = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  // Era years count 1 BC, 2 BC…; proleptic years count 0, -1….
  const year = beforeChrist ? 1 - (fields.year ?? Number.NaN) : (fields.year ?? Number.NaN);
  const month = fields.month ?? Number.NaN;
  const day = fields.day ?? Number.NaN;
  // Some engines still print midnight as 24 even with h23.
  const hour = (fields.hour ?? Number.NaN) % 24;
  const minute = fields.minute ?? Number.NaN;
  const second = fields.second ?? Number.NaN;
  const weekday = new Date(utcMs(year, month, day, 12, 0, 0)).getUTCDay();
  return { year, month, day, hour, minute, second, weekday };
}

/** The wall clock at `epochMs` read as if it were UTC: the difference to `epochMs` is the zone's offset. */
function wallMs(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  return utcMs(p.year, p.month, p.day, p.hour, p.minute, p.second);
}

/** The zone's offset from UTC at `epochMs`, in milliseconds (east positive). */
export function offsetMs(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  return wallMs(whole, timeZone) - whole;
}

/**
 * The moment at which the wall clock in `timeZone` reads `local`.
 * A time that occurs twice (clocks going back) gives the earlier moment; a time skipped by clocks going
 * forward is moved forward by the length of the gap (02:30 on a spring-forward night becomes 03:30).
 * Throws a RangeError for an unknown time zone.
 */
export function fromZoned(local: ZonedInput, timeZone: string): number {
  const wall = utcMs(local.year, local.month, local.day, local.hour, local.minute, local.second ?? 0);
  if (!Number.isFinite(wall)) return Number.NaN;
  const before = offsetMs(wall - DAY_MS, timeZone);
  const after = offsetMs(wall + DAY_MS, timeZone);
  const candidates = [wall - before, wall - after, wall - offsetMs(wall, timeZone)]
    .filter((epoch) => wallMs(epoch, timeZone) === wall)
    .sort((a, b) => a - b);
  // No candidate reads `wall`: it falls in a gap, and the offset before the gap pushes it past the gap.
  return candidates[0] ?? wall - before;
}
