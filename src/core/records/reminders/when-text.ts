/** A piece of a time expression read at some position, and where it ends. */
export interface Found<T> {
  value: T;
  end: number;
}

export const DAY_MS = 86_400_000;

/** Arabic or Chinese numerals up to 999 / 九十九, as a regex group. */
export const NUM = '(\\d{1,3}|[零一二两三四五六七八九十]{1,3})';

/** Lower-cases ASCII and folds full-width ASCII, one code unit for one, so `rest` can be cut from the input. */
export function normalize(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
    else if (code === 0x3000) code = 0x20;
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    out += String.fromCharCode(code);
  }
  return out;
}

/** `re` (sticky) matched exactly at `pos`. */
export function match(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

export const endOf = (m: RegExpExecArray): number => m.index + m[0].length;

const SPACE = /\s*/y;
export const skipSpace = (s: string, pos: number): number => pos + (match(SPACE, s, pos)?.[0].length ?? 0);

/** Arabic or Chinese numerals (一…九十九, 两, a leading 零); NaN when malformed. */
export function toNumber(text: string | undefined): number {
  if (!text) return Number.NaN;
  if (/^\d+$/.test(text)) return Number(text);
  const digit = (ch: string | undefined) =>
    ch ? '零一二三四五六七八九'.indexOf(ch.replace('两', '二')) : -1;
  const m = /^([一二两三四五六七八九])?(十)?([零一二两三四五六七八九])?$/.exec(text.replace(/^零(?=.)/, ''));
  if (!m || (!m[2] && m[1] && m[3])) return Number.NaN;
  if (!m[2]) return digit(m[1] ?? m[3]);
  return (m[1] ? digit(m[1]) : 1) * 10 + (m[3] ? digit(m[3]) : 0);
}

/** Days since the epoch of a civil date (proleptic Gregorian, UTC arithmetic). */
export function dayNumOf(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS);
}

export function civil(dayNum: number): { year: number; month: number; day: number } {
  const d = new Date(dayNum * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function validDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}
