import { fromZoned, zonedParts } from './zone.ts';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A close date as people give it (`2027-03-31`) as the moment the day starts in the organisation's time zone; null
 * when it is not a real calendar date (`2027-02-30`) or is outside 2000–2999.
 */
export function closeDateStart(date: string, timeZone: string): number | null {
  const m = DATE.exec(date.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 2000 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  // Day 31 of a 30-day month would roll into the next one: refused rather than moved.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  const ms = fromZoned({ year, month, day, hour: 0, minute: 0 }, timeZone);
  return Number.isFinite(ms) ? ms : null;
}

/** The calendar day (`2027-03-31`) a stored close moment falls on in the organisation's time zone. */
export function closeDateOf(ms: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}
