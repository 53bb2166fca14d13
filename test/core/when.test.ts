import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../src/core/records/reminders/when.ts';

// Monday 2026-03-02 10:15 in Shanghai.
const NOW = 1772417700000;
const ZONE = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const when = (input: string) => parseWhen(input, NOW, ZONE);
/** The moment `input` names, as Shanghai wall-clock `YYYY-MM-DDTHH:mm`. */
const local = (input: string) => {
  const result = when(input);
  return result ? new Date(result.at + 8 * 3_600_000).toISOString().slice(0, 16) : null;
};

describe('parseWhen: ISO', () => {
  it('reads dates and times in the zone, a date alone at 09:00', () => {
    expect(when('2026-12-01T10:00 call back')).toEqual({ at: at('2026-12-01T10:00'), rest: 'call back' });
    expect(when('2026-12-01 10:00 回电话')).toEqual({ at: at('2026-12-01T10:00'), rest: '回电话' });
    expect(when('2026-12-01 寄样品')).toEqual({ at: at('2026-12-01T09:00'), rest: '寄样品' });
    expect(when('2026-12-01T10:00:30')?.at).toBe(at('2026-12-01T10:00:30'));
    expect(local('2026-12-01 下午3点')).toBe('2026-12-01T15:00');
  });

  it('lets an explicit offset win', () => {
    expect(when('2026-12-01T10:00Z x')).toEqual({ at: Date.parse('2026-12-01T10:00Z'), rest: 'x' });
    expect(when('2026-12-01T10:00:30+05:30')?.at).toBe(Date.parse('2026-12-01T10:00:30+05:30'));
    expect(when('2026-12-01T10:00-0500')?.at).toBe(Date.parse('2026-12-01T10:00-05:00'));
  });

  it('returns times in the past and rejects impossible ones', () => {
    expect(when('2020-01-01T08:00')?.at).toBe(at('2020-01-01T08:00'));
    for (const bad of [
      '2026-13-01',
      '2026-02-30',
      '2026-12-01T25:00',
      '2026-12-01T10:61',
      '2026-12-01T10:00+24:00',
    ]) {
      expect(when(bad), bad).toBeNull();
    }
  });
});

describe('parseWhen: English', () => {
  it('reads spans from now', () => {
    expect(when('in 2h call back')).toEqual({ at: NOW + 2 * 3_600_000, rest: 'call back' });
    expect(when('in 30m')?.at).toBe(NOW + 30 * 60_000);
    expect(when('in 30 min send quote')).toEqual({ at: NOW + 30 * 60_000, rest: 'send quote' });
    expect(local('in 3 days')).toBe('2026-03-05T10:15');
    expect(local('in 1 week')).toBe('2026-03-09T10:15');
    expect(local('in a week')).toBe('2026-03-09T10:15');
    expect(when('2h ping')).toEqual({ at: NOW + 2 * 3_600_000, rest: 'ping' });
    expect(when('in 1h30m')?.at).toBe(NOW + 90 * 60_000);
    expect(when('in 2 hours 3 samples')).toEqual({ at: NOW + 2 * 3_600_000, rest: '3 samples' });
  });

  it('reads days, with 09:00 when no time is given', () => {
    expect(local('today')).toBe('2026-03-02T09:00');
    expect(local('tomorrow')).toBe('2026-03-03T09:00');
    expect(local('Tomorrow 10am')).toBe('2026-03-03T10:00');
    expect(when('tomorrow 15:30 call Wang')).toEqual({ at: at('2026-03-03T15:30'), rest: 'call Wang' });
    expect(local('tomorrow at 3:30 pm')).toBe('2026-03-03T15:30');
    expect(local('tomorrow morning')).toBe('2026-03-03T09:00');
    expect(local('day after tomorrow')).toBe('2026-03-04T09:00');
    expect(local('tonight')).toBe('2026-03-02T20:00');
  });

  it('reads weekdays: the next one, a week ahead for today', () => {
    expect(local('friday')).toBe('2026-03-06T09:00');
    expect(when('fri send contract')).toEqual({ at: at('2026-03-06T09:00'), rest: 'send contract' });
    expect(local('sunday')).toBe('2026-03-08T09:00');
    expect(local('monday')).toBe('2026-03-09T09:00');
    expect(local('mon 11am')).toBe('2026-03-02T11:00');
    expect(local('mon 9am')).toBe('2026-03-09T09:00');
    expect(local('next monday')).toBe('2026-03-09T09:00');
    expect(local('next fri 3pm')).toBe('2026-03-13T15:00');
    expect(local('this friday')).toBe('2026-03-06T09:00');
  });

  it('reads clock times: today while ahead, else tomorrow', () => {
    expect(when('at 3pm call back')).toEqual({ at: at('2026-03-02T15:00'), rest: 'call back' });
    expect(local('3pm')).toBe('2026-03-02T15:00');
    expect(local('15:00')).toBe('2026-03-02T15:00');
    expect(local('9:00')).toBe('2026-03-03T09:00');
    expect(local('10:15')).toBe('2026-03-03T10:15');
    expect(local('12am')).toBe('2026-03-03T00:00');
    expect(local('12pm')).toBe('2026-03-02T12:00');
    expect(local('3pm tomorrow')).toBe('2026-03-03T15:00');
  });
});

describe('parseWhen: Chinese', () => {
  it('reads days', () => {
    expect(local('今天')).toBe('2026-03-02T09:00');
    expect(local('明天')).toBe('2026-03-03T09:00');
    expect(local('后天')).toBe('2026-03-04T09:00');
    expect(local('大后天')).toBe('2026-03-05T09:00');
    expect(local('明早')).toBe('2026-03-03T09:00');
    expect(local('明天下午')).toBe('2026-03-03T15:00');
  });

  it('reads a day with a time, with or without a space before the text', () => {
    expect(when('明天10点回电话')).toEqual({ at: at('2026-03-03T10:00'), rest: '回电话' });
    expect(when('明天 10点 回电话')).toEqual({ at: at('2026-03-03T10:00'), rest: '回电话' });
    expect(when('明天10点，回电话')?.rest).toBe('回电话');
    expect(local('明天上午10点')).toBe('2026-03-03T10:00');
    expect(local('明天下午3点')).toBe('2026-03-03T15:00');
    expect(local('明早8点')).toBe('2026-03-03T08:00');
    expect(local('今晚8点')).toBe('2026-03-02T20:00');
    expect(local('明天中午12点')).toBe('2026-03-03T12:00');
    expect(local('后天傍晚6点')).toBe('2026-03-04T18:00');
  });

  it('reads clock times: today while ahead, else tomorrow', () => {
    expect(local('晚上8点')).toBe('2026-03-02T20:00');
    expect(local('10点半')).toBe('2026-03-02T10:30');
    expect(local('10:30')).toBe('2026-03-02T10:30');
    expect(local('１０：３０')).toBe('2026-03-02T10:30');
    expect(local('10点30分')).toBe('2026-03-02T10:30');
    expect(local('十点零五分')).toBe('2026-03-03T10:05');
    expect(local('十点二十')).toBe('2026-03-02T10:20');
    expect(local('10点一刻')).toBe('2026-03-03T10:15');
    expect(local('中午12点')).toBe('2026-03-02T12:00');
    expect(local('凌晨3点')).toBe('2026-03-03T03:00');
    expect(local('早上8点')).toBe('2026-03-03T08:00');
    expect(local('下午三点')).toBe('2026-03-02T15:00');
    expect(local('晚上12点')).toBe('2026-03-03T00:00');
    expect(when('三点一起吃饭')?.rest).toBe('一起吃饭');
  });

  it('reads weekdays', () => {
    for (const friday of ['周五', '星期五', '礼拜五', '这周五', '本周五', '这个星期五']) {
      expect(local(friday), friday).toBe('2026-03-06T09:00');
    }
    for (const sunday of ['周日', '星期天', '星期日', '礼拜天'])
      expect(local(sunday), sunday).toBe('2026-03-08T09:00');
    expect(local('下周一')).toBe('2026-03-09T09:00');
    expect(local('下周五')).toBe('2026-03-13T09:00');
    expect(local('下个星期三')).toBe('2026-03-11T09:00');
    expect(when('周五下午2点开会')).toEqual({ at: at('2026-03-06T14:00'), rest: '开会' });
    expect(local('周一')).toBe('2026-03-09T09:00');
    expect(local('周一11点')).toBe('2026-03-02T11:00');
    expect(local('周一10点')).toBe('2026-03-09T10:00');
    expect(local('这周一')).toBe('2026-03-02T09:00');
  });

  it('reads spans from now', () => {
    expect(when('2小时后回电话')).toEqual({ at: NOW + 2 * 3_600_000, rest: '回电话' });
    expect(when('30分钟后')?.at).toBe(NOW + 30 * 60_000);
    expect(when('半小时后')?.at).toBe(NOW + 30 * 60_000);
    expect(when('一个半小时后')?.at).toBe(NOW + 90 * 60_000);
    expect(when('一小时后')?.at).toBe(NOW + 3_600_000);
    expect(when('两小时后')?.at).toBe(NOW + 2 * 3_600_000);
    expect(when('二十五分钟后')?.at).toBe(NOW + 25 * 60_000);
    expect(when('九十九分钟以后')?.at).toBe(NOW + 99 * 60_000);
    expect(local('3天后')).toBe('2026-03-05T10:15');
    expect(local('两周后')).toBe('2026-03-16T10:15');
  });

  it('reads month and day, rolling a date gone this year to next year', () => {
    expect(local('12月1日')).toBe('2026-12-01T09:00');
    expect(when('12月1号 14:00 开会')).toEqual({ at: at('2026-12-01T14:00'), rest: '开会' });
    expect(local('十二月一日下午3点')).toBe('2026-12-01T15:00');
    expect(local('3月1日')).toBe('2027-03-01T09:00');
    expect(local('3月2日')).toBe('2026-03-02T09:00');
    expect(local('2027年1月5日')).toBe('2027-01-05T09:00');
  });

  it('rejects impossible times', () => {
    for (const bad of [
      '13月1日',
      '2月30日',
      '25点',
      '明天25点',
      '10:61',
      '25:00',
      '10点61分',
      '上午15点',
      '13pm',
    ]) {
      expect(when(bad), bad).toBeNull();
    }
  });
});

describe('parseWhen: Europe/Berlin across the DST change of 2026-03-29', () => {
  // Saturday 2026-03-28 10:00 CET.
  const now = Date.parse('2026-03-28T09:00Z');
  const berlin = (input: string) => parseWhen(input, now, 'Europe/Berlin')?.at;

  it('keeps the wall clock for days and counts hours exactly', () => {
    expect(berlin('tomorrow 10:00')).toBe(Date.parse('2026-03-29T08:00Z'));
    expect(berlin('in 1 day')).toBe(Date.parse('2026-03-29T08:00Z'));
    expect(berlin('in 24h')).toBe(Date.parse('2026-03-29T09:00Z'));
    expect(berlin('sunday')).toBe(Date.parse('2026-03-29T07:00Z'));
    expect(berlin('2026-03-30')).toBe(Date.parse('2026-03-30T07:00Z'));
  });

  it('moves a skipped time forward', () => {
    expect(berlin('明天凌晨2:30')).toBe(Date.parse('2026-03-29T01:30Z'));
    expect(berlin('tomorrow 2:30am')).toBe(Date.parse('2026-03-29T01:30Z'));
  });
});

describe('parseWhen: what is not a time', () => {
  it('returns null for text that does not start with a time', () => {
    for (const text of [
      '',
      '   ',
      '王芳',
      '回电话',
      'call back',
      'friend',
      'a day off',
      'in',
      'in 2',
      '2',
      '周末',
      '早点来',
    ]) {
      expect(when(text), text).toBeNull();
    }
  });

  it('leaves ordinary words that start like times in the text', () => {
    expect(when('明天早点来')).toEqual({ at: at('2026-03-03T09:00'), rest: '早点来' });
    expect(when('tomorrow 100 boxes')).toEqual({ at: at('2026-03-03T09:00'), rest: '100 boxes' });
  });

  it('never throws, and any result is a real moment with a suffix of the input', () => {
    const alphabet = [
      ...'0123456789:-+T Zamph点时半分钟小时天周后明今晚早上下午月日号星期礼拜一二两三十零个in dayweek，：１０\u3000',
    ];
    alphabet.push('\ud83d\ude00', '\ud800', 'İ', '\u0000');
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let i = 0; i < 5_000; i++) {
      let input = '';
      const length = Math.floor(random() * 14);
      for (let j = 0; j < length; j++) input += alphabet[Math.floor(random() * alphabet.length)];
      const result = when(input);
      if (result) {
        expect(Number.isFinite(result.at), input).toBe(true);
        expect(input.trimEnd().endsWith(result.rest), input).toBe(true);
      }
    }
    for (const odd of [
      '9'.repeat(400),
      `in ${'9'.repeat(30)} days`,
      `${'9'.repeat(20)}小时后`,
      'x'.repeat(100_000),
    ]) {
      expect(() => when(odd)).not.toThrow();
    }
    expect(parseWhen('明天', NOW, 'Not/AZone')).toBeNull();
    expect(parseWhen('明天', Number.NaN, ZONE)).toBeNull();
  });
});

describe('parseWhen: office hours', () => {
  it('reads a bare 1点–6点 as the afternoon, unless the morning is said', () => {
    expect(when('3点回电话')).toEqual({ at: at('2026-03-02T15:00'), rest: '回电话' });
    expect(local('明天2点半')).toBe('2026-03-03T14:30');
    expect(local('凌晨3点')).toBe('2026-03-03T03:00');
    expect(local('早上6点')).toBe('2026-03-03T06:00');
    expect(local('8点')).toBe('2026-03-03T08:00');
  });
});
