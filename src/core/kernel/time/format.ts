import { type Lang, messages } from '../i18n/index.ts';
import { zonedParts } from './zone.ts';

/** A moment as people read it in the organisation's time zone: `12-01 10:00` (with the year when not this year). */
export function formatTime(ms: number, now: number, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const year = zonedParts(now, timeZone).year === p.year ? '' : `${p.year}-`;
  return `${year}${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** Whole days between two moments, for "last contact 12 days ago". */
const daysBetween = (from: number, to: number): number => Math.max(0, Math.floor((to - from) / 86_400_000));

/** "12 days ago" / "12天前"; "today" / "今天". */
export function ago(ms: number | null, now: number, lang: Lang): string {
  const t = messages(lang).time;
  if (ms === null) return t.never;
  const d = daysBetween(ms, now);
  return d === 0 ? t.today : t.daysAgo(d);
}
