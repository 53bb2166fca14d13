import type { StageDefinition } from '../../kernel/runtime.ts';
import { findStage } from './stages.ts';

/** A value that passed, or the reason it did not (said to the person fixing the file). */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(reason: string): Checked<T> => ({ ok: false, reason });

/**
 * A phone number as Liaison stores it: a mainland mobile as its 11 digits (with or without +86 / 0086, spaces,
 * dashes), another number with + as `+digits`, a landline as its digits (area code included); 7–15 digits.
 */
export function checkPhone(raw: string): Checked<string> {
  const text = raw.trim();
  if (text.includes('*')) return bad('the number is masked (an export made for a rep?)');
  if (/^\d(\.\d+)?e\+\d+$/i.test(text))
    return bad('the spreadsheet shortened the number (format the column as text)');
  if (!/^[\d\s\-+().]+$/.test(text)) return bad('not a phone number');
  const digits = text.replace(/\D/g, '');
  const mobile = /^(?:0{0,2}86)?(1[3-9]\d{9})$/.exec(digits);
  if (mobile?.[1]) return ok(mobile[1]);
  if (digits.length < 7 || digits.length > 15) return bad('a phone number has 7 to 15 digits');
  return ok(text.startsWith('+') ? `+${digits}` : digits);
}

/** Every form a stored phone may have for the same number (the chat path keeps `+86…` as given). */
export function phoneVariants(phone: string): string[] {
  return /^1[3-9]\d{9}$/.test(phone) ? [phone, `+86${phone}`, `86${phone}`] : [phone];
}

export function checkEmail(raw: string): Checked<string> {
  const email = raw.trim();
  if (email.includes('***')) return bad('the address is masked (an export made for a rep?)');
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return bad('not an email address');
  return ok(email);
}

export function checkStage(raw: string, stages: readonly StageDefinition[]): Checked<string> {
  const stage = findStage(stages, raw);
  if (stage) return ok(stage.key);
  return bad(`not a stage (one of ${stages.map((s) => `${s.key}/${s.zh}`).join(', ')})`);
}

/** Tags as a list in one cell: separated by commas, 、, semicolons, | or spaces (as `/tag` takes them). */
export function checkTags(raw: string): Checked<string[]> {
  const tags = [
    ...new Set(
      raw
        .split(/[\s,，、;；|]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  const long = tags.find((t) => [...t].length > 30);
  return long ? bad(`tag "${long}" is longer than 30 characters`) : ok(tags);
}

export function checkUnionId(raw: string): Checked<string> {
  const id = raw.trim();
  return /^[\w-]{6,64}$/.test(id) ? ok(id) : bad('a unionid is 6–64 letters, digits, - or _');
}

/** A free-text value of at most `max` characters. */
export function checkText(raw: string, max: number): Checked<string> {
  const text = raw.trim();
  return [...text].length > max ? bad(`longer than ${max} characters`) : ok(text);
}
