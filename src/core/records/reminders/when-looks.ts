import { normalize } from './when-text.ts';

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const WEEKDAY = '(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*';
const TIME_LIKE = [
  // 12/20, 13:45, 3点, 20号, 12月, 2027年, 12.20
  /^\d{1,4}\s*[/:.点时号日月年]/,
  /^\d+(?:\.\d+)?\s*(?:[ap]\.?m|h|hrs?|hours?|mins?|minutes?|days?|weeks?|小时|分钟|天|周|个)(?![a-z])/,
  /^[零一二两三四五六七八九十半]+个?(?:点|时|号|日|月|小时|钟头|分钟|天|周|星期|礼拜|刻)/,
  /^(?:今|明|后|大后)(?:天|日|儿|早|晚)/,
  /^(?:上|下|这|本)一?个?(?:周|星期|礼拜|月)/,
  /^(?:周|星期|礼拜)[一二三四五六日天末1-7]/,
  /^月[底末初]/,
  /^(?:凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|下班前)/,
  /^(?:today|tonight|tomorrow|tmrw?|tmr|yesterday|noon|midnight|eod)(?![a-z])/,
  new RegExp(
    `^(?:next|this|last)\\s+(?:week|month|year|weekend|morning|afternoon|evening|${WEEKDAY})(?![a-z])`,
  ),
  /^(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![a-z])/,
  new RegExp(`^(?:on\\s+)?${MONTH}\\s*\\d`),
  new RegExp(`^(?:on\\s+)?(?:the\\s+)?\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?![a-z])`),
  /^(?:in|at|by)\s+(?:\d|an?\s|half\s)/,
];

/**
 * Whether `text` starts with what looks like a time or date (12/20, 13:45, 3点, 周五, tomorrow, Dec 20) even if it
 * cannot be read: such text is refused as a time, never looked up as a customer's name.
 */
export function startsLikeTime(text: string): boolean {
  const s = normalize(text).trimStart();
  return TIME_LIKE.some((re) => re.test(s));
}
