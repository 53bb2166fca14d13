import type { BusinessHours } from '../runtime.ts';
import { zonedParts } from './zone.ts';

/**
 * Whether `epochMs` falls within the weekly business hours, read on the wall clock of `timeZone`:
 * on one of `hours.days` and at a minute in [startMinute, endMinute).
 */
export function withinBusinessHours(epochMs: number, hours: BusinessHours, timeZone: string): boolean {
  const local = zonedParts(epochMs, timeZone);
  if (!hours.days.includes(local.weekday)) return false;
  const minute = local.hour * 60 + local.minute;
  return minute >= hours.startMinute && minute < hours.endMinute;
}
