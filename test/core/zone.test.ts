import { describe, expect, it } from 'vitest';
import type { BusinessHours } from '../../src/core/kernel/runtime.ts';
import { withinBusinessHours } from '../../src/core/kernel/time/business-hours.ts';
import { fromZoned, offsetMs, zonedParts } from '../../src/core/kernel/time/zone.ts';

const utc = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('zonedParts', () => {
  it('reads the wall clock and weekday in a zone', () => {
    // 2026-03-02T02:15Z is Monday 10:15 in Shanghai and still Sunday evening in New York.
    expect(zonedParts(1772417700000, 'Asia/Shanghai')).toEqual({
      year: 2026,
      month: 3,
      day: 2,
      hour: 10,
      minute: 15,
      second: 0,
      weekday: 1,
    });
    expect(zonedParts(1772417700000, 'America/New_York')).toMatchObject({ day: 1, hour: 21, weekday: 0 });
    expect(zonedParts(utc('2026-07-01T12:34:56.789Z'), 'UTC')).toMatchObject({
      hour: 12,
      minute: 34,
      second: 56,
    });
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(zonedParts(utc('2026-03-01T16:00:00Z'), 'Asia/Shanghai')).toMatchObject({ day: 2, hour: 0 });
  });

  it('follows Berlin across both DST changes of 2026', () => {
    expect(zonedParts(utc('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toMatchObject({ hour: 1, minute: 59 });
    expect(zonedParts(utc('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 0 });
    expect(zonedParts(utc('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 2, minute: 30 });
    expect(zonedParts(utc('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toMatchObject({ hour: 2, minute: 30 });
  });

  it('throws on an unknown zone', () => {
    expect(() => zonedParts(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('offsetMs', () => {
  it('gives the offset east of UTC', () => {
    expect(offsetMs(0, 'Asia/Shanghai')).toBe(8 * HOUR);
    expect(offsetMs(utc('2026-01-15T12:00:00Z'), 'America/New_York')).toBe(-5 * HOUR);
    expect(offsetMs(utc('2026-07-15T12:00:00Z'), 'America/New_York')).toBe(-4 * HOUR);
    expect(offsetMs(utc('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR);
  });
});

describe('fromZoned', () => {
  it('places an ordinary wall-clock time', () => {
    expect(fromZoned({ year: 2026, month: 3, day: 2, hour: 10, minute: 15 }, 'Asia/Shanghai')).toBe(
      1772417700000,
    );
    expect(fromZoned({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 30 }, 'Europe/Berlin')).toBe(
      utc('2026-07-01T07:00:30Z'),
    );
    expect(fromZoned({ year: 2026, month: 1, day: 1, hour: 0, minute: 0 }, 'UTC')).toBe(
      utc('2026-01-01T00:00Z'),
    );
  });

  it('uses the offset in force on either side of a DST change', () => {
    const berlin = (day: number, hour: number, minute = 0) =>
      fromZoned({ year: 2026, month: 3, day, hour, minute }, 'Europe/Berlin');
    expect(berlin(28, 10)).toBe(utc('2026-03-28T09:00Z'));
    expect(berlin(29, 1, 59)).toBe(utc('2026-03-29T00:59Z'));
    expect(berlin(29, 3)).toBe(utc('2026-03-29T01:00Z'));
    expect(berlin(29, 10)).toBe(utc('2026-03-29T08:00Z'));
  });

  it('moves a time skipped by spring-forward ahead by the gap', () => {
    expect(fromZoned({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(
      utc('2026-03-29T01:30Z'),
    );
    expect(fromZoned({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toBe(
      utc('2026-03-08T07:30Z'),
    );
  });

  it('takes the earlier of a time that happens twice at fall-back', () => {
    expect(fromZoned({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(
      utc('2026-10-25T00:30Z'),
    );
    expect(fromZoned({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toBe(
      utc('2026-11-01T05:30Z'),
    );
  });

  it('rolls fields over like Date.UTC', () => {
    expect(fromZoned({ year: 2026, month: 2, day: 29, hour: 24, minute: 0 }, 'Asia/Shanghai')).toBe(
      utc('2026-03-01T16:00Z'),
    );
    expect(fromZoned({ year: 2026, month: 13, day: 1, hour: 0, minute: 0 }, 'UTC')).toBe(
      utc('2027-01-01T00:00Z'),
    );
  });

  it('round-trips with zonedParts every hour through a year in several zones', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Australia/Lord_Howe']) {
      for (let t = utc('2026-01-01T00:00Z'); t < utc('2027-01-01T00:00Z'); t += 7 * HOUR + 17 * 60_000) {
        const p = zonedParts(t, zone);
        const back = fromZoned(p, zone);
        // At a fall-back both readings are legitimate; the earlier one is chosen.
        expect(back === t || (back < t && zonedParts(back, zone).hour === p.hour)).toBe(true);
      }
    }
  });
});

describe('withinBusinessHours', () => {
  const weekdays: BusinessHours = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 18 * 60 };
  const shanghai = (iso: string) => withinBusinessHours(utc(`${iso}+08:00`), weekdays, 'Asia/Shanghai');

  it('includes the start minute and excludes the end minute', () => {
    expect(shanghai('2026-03-02T08:59:59')).toBe(false);
    expect(shanghai('2026-03-02T09:00:00')).toBe(true);
    expect(shanghai('2026-03-02T10:15:00')).toBe(true);
    expect(shanghai('2026-03-02T17:59:59')).toBe(true);
    expect(shanghai('2026-03-02T18:00:00')).toBe(false);
  });

  it('is closed on days not listed', () => {
    expect(shanghai('2026-03-07T10:00:00')).toBe(false);
    expect(shanghai('2026-03-08T10:00:00')).toBe(false);
    expect(shanghai('2026-03-06T10:00:00')).toBe(true);
  });

  it('reads the day and time in the given zone', () => {
    // Monday 10:15 in Shanghai is Sunday 21:15 in New York.
    expect(withinBusinessHours(1772417700000, weekdays, 'America/New_York')).toBe(false);
    // Monday 2026-03-30 09:30 CEST, the day after Berlin moved its clocks.
    expect(withinBusinessHours(utc('2026-03-30T07:30Z'), weekdays, 'Europe/Berlin')).toBe(true);
    expect(withinBusinessHours(utc('2026-03-30T06:30Z'), weekdays, 'Europe/Berlin')).toBe(false);
  });

  it('can run to midnight', () => {
    const allDay: BusinessHours = { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 0, endMinute: 24 * 60 };
    expect(withinBusinessHours(utc('2026-03-01T16:00Z'), allDay, 'Asia/Shanghai')).toBe(true);
    expect(withinBusinessHours(utc('2026-03-02T15:59:59Z'), allDay, 'Asia/Shanghai')).toBe(true);
  });
});
