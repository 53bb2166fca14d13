import { type Catalogue, type Lang, messages } from '../../kernel/i18n/index.ts';
import type { StageDefinition } from '../../kernel/runtime.ts';
import { findStage } from './stages.ts';

type ProblemTexts = Catalogue['importProblems'];

/** Why a value was refused: a key of the catalogue's `importProblems`, with what its text needs. */
export type ValueProblem = {
  [K in keyof ProblemTexts]: ProblemTexts[K] extends (...args: infer A) => string
    ? { code: K; args: A }
    : { code: K };
}[keyof ProblemTexts];

/** A refusal said in one language (the person fixing the file reads it in theirs; the API and CLI in English). */
export function problemText(p: ValueProblem, lang: Lang): string {
  const text = messages(lang).importProblems[p.code] as string | ((...args: unknown[]) => string);
  return typeof text === 'function' ? text(...('args' in p ? p.args : [])) : text;
}

/** A value that passed, or why it did not: `reason` in English, `problem` for any other language. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string; problem: ValueProblem };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
/** A refusal, its English text written once from the catalogue. */
export const refused = <T>(problem: ValueProblem): Checked<T> => ({
  ok: false,
  reason: problemText(problem, 'en'),
  problem,
});

/**
 * A phone number as Liaison stores it: a mainland mobile as its 11 digits (with or without +86 / 0086, spaces,
 * dashes), another number with + as `+digits`, a landline as its digits (area code included); 7–15 digits.
 */
export function checkPhone(raw: string): Checked<string> {
  const text = raw.trim();
  if (text.includes('*')) return refused({ code: 'phone_masked' });
  if (/^\d(\.\d+)?e\+\d+$/i.test(text)) return refused({ code: 'phone_shortened' });
  if (!/^[\d\s\-+().]+$/.test(text)) return refused({ code: 'not_phone' });
  const digits = text.replace(/\D/g, '');
  const mobile = /^(?:0{0,2}86)?(1[3-9]\d{9})$/.exec(digits);
  if (mobile?.[1]) return ok(mobile[1]);
  if (digits.length < 7 || digits.length > 15) return refused({ code: 'phone_length' });
  return ok(text.startsWith('+') ? `+${digits}` : digits);
}

/** Every form a stored phone may have for the same number (the chat path keeps `+86…` as given). */
export function phoneVariants(phone: string): string[] {
  return /^1[3-9]\d{9}$/.test(phone) ? [phone, `+86${phone}`, `86${phone}`] : [phone];
}

export function checkEmail(raw: string): Checked<string> {
  const email = raw.trim();
  if (email.includes('***')) return refused({ code: 'email_masked' });
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return refused({ code: 'not_email' });
  return ok(email);
}

export function checkStage(raw: string, stages: readonly StageDefinition[]): Checked<string> {
  const stage = findStage(stages, raw);
  if (stage) return ok(stage.key);
  return refused({
    code: 'not_stage',
    args: [stages.map((s) => `${s.key}/${s.zh}`).join(', ')],
  });
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
  return long ? refused({ code: 'tag_too_long', args: [long] }) : ok(tags);
}

export function checkUnionId(raw: string): Checked<string> {
  const id = raw.trim();
  return /^[\w-]{6,64}$/.test(id) ? ok(id) : refused({ code: 'bad_unionid' });
}

/** A free-text value of at most `max` characters. */
export function checkText(raw: string, max: number): Checked<string> {
  const text = raw.trim();
  return [...text].length > max ? refused({ code: 'too_long', args: [max] }) : ok(text);
}
