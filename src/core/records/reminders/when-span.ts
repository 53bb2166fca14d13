import { fromZoned, zonedParts } from '../../kernel/time/zone.ts';
import { DAY_MS, endOf, type Found, match, NUM, toNumber } from './when-text.ts';

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  q: 15 * 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
};
const CN_UNIT: Record<string, string> = {
  分钟: 'm',
  分: 'm',
  刻钟: 'q',
  小时: 'h',
  钟头: 'h',
  天: 'd',
  日: 'd',
  周: 'w',
  星期: 'w',
  礼拜: 'w',
};

const EN_UNIT = '(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)(?![a-z])';
// An article needs a space before its unit, so `and` is never read as `an d`.
const EN_PART = `(?:\\d+(?:\\.\\d+)?\\s*|(?:half\\s+)?an?\\s+)${EN_UNIT}`;
const CN_PART = `(?:${NUM}个?(半)?|(半))个?(分钟|分|刻钟|小时|钟头|天|日|周|星期|礼拜)`;
const AFTER = '\\s*(以后|之后|后)';
const RE = {
  en: new RegExp(
    `(in\\s+)?(${EN_PART}(?:\\s*(?:(?:,|and)\\s*)?${EN_PART})*)(?:\\s*(later|from\\s+now)(?![a-z])|${AFTER})?`,
    'y',
  ),
  enUnit: /(\d+(?:\.\d+)?)\s*([mhdw])|(half\s+an?|an?)\s+([mhdw])/g,
  cn: new RegExp(`((?:${CN_PART.replace(/\((?!\?)/g, '(?:')})+)${AFTER}`, 'y'),
  cnPart: new RegExp(CN_PART, 'g'),
};

/** [amount, unit letter] pairs of an English span, or null when it is ordinary words (`a day off`). */
function englishParts(m: RegExpExecArray): [number, string][] | null {
  const parts: [number, string][] = [];
  const said = m[1] !== undefined || m[3] !== undefined || m[4] !== undefined;
  for (const unit of (m[2] ?? '').matchAll(RE.enUnit)) {
    const article = unit[3];
    // `in a day` and `half an hour later` are times; `a day off` is text.
    if (article && !said) return null;
    const amount = article ? (article.startsWith('half') ? 0.5 : 1) : Number(unit[1]);
    parts.push([amount, (unit[2] ?? unit[4] ?? '') as string]);
  }
  return parts;
}

/** [amount, unit letter] pairs of a Chinese span (2小时30分钟, 一个半小时), or null when malformed (半天). */
function chineseParts(text: string): [number, string][] | null {
  const parts: [number, string][] = [];
  for (const part of text.matchAll(RE.cnPart)) {
    const half = part[2] !== undefined || part[3] !== undefined;
    const unit = CN_UNIT[part[4] ?? ''] ?? '';
    const whole = part[3] ? 0 : toNumber(part[1]);
    if (Number.isNaN(whole) || (half && unit !== 'h')) return null;
    parts.push([whole + (half ? 0.5 : 0), unit]);
  }
  return parts;
}

/**
 * A span from now: `in 2h`, `30 min`, `in half an hour`, `2 hours later`, `1h30m`, `2h后`, `2小时30分钟后`,
 * `一个半小时后`, `三天以后`.
 */
export function readDuration(s: string, pos: number, now: number, timeZone: string): Found<number> | null {
  const en = match(RE.en, s, pos);
  const cn = en ? null : match(RE.cn, s, pos);
  const m = en ?? cn;
  const parts = en ? englishParts(en) : cn ? chineseParts(cn[1] ?? '') : null;
  if (!m || !parts || parts.length === 0) return null;
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
