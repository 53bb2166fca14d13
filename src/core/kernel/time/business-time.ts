import type { BusinessHours } from '../runtime.ts';
import { fromZoned, zonedParts } from './zone.ts';

const DAY_MS = 86_400_000;

/**
 * The moment `durationMs` of business time after `start` (nights, weekends and other closed hours do not count).
 * Without business hours, plain time. Looks at most 14 days ahead.
 */
export function addBusinessTime(
  start: number,
  durationMs: number,
  hours: BusinessHours | null,
  timeZone: string,
): number {
  if (!hours || hours.days.length === 0) return start + durationMs;
  let t = start;
  let remaining = durationMs;
  for (let i = 0; i < 15; i++) {
    const p = zonedParts(t, timeZone);
    const day = { year: p.year, month: p.month, day: p.day };
    const at = (minutes: number) =>
      fromZoned({ ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone);
    const open = at(hours.startMinute);
    const close = at(hours.endMinute);
    if (hours.days.includes(p.weekday) && t < close) {
      const from = Math.max(t, open);
      if (from + remaining <= close) return from + remaining;
      remaining -= close - from;
    }
    // On to the start of the next day (noon keeps clear of DST edges).
    const next = zonedParts(fromZoned({ ...day, hour: 12, minute: 0 }, timeZone) + DAY_MS, timeZone);
    t = fromZoned({ year: next.year, month: next.month, day: next.day, hour: 0, minute: 0 }, timeZone);
  }
  return t + remaining;
}
