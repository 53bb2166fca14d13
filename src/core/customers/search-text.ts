/** What `/find` and the API's `q` match against: lower-cased names, company, email, usernames and phone digits. */
export function buildSearchText(parts: Array<string | null | undefined>, phone?: string | null): string {
  const words = parts.filter((p): p is string => Boolean(p?.trim())).map((p) => p.trim().toLowerCase());
  const digits = phone?.replace(/\D/g, '');
  if (digits) words.push(digits);
  return [...new Set(words)].join('\n');
}

/** Escapes LIKE wildcards so user input matches literally (used with `escape '\'`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Keeps the digits of a phone number, with a leading + when there was one. */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return raw.trim().startsWith('+') ? `+${digits}` : digits;
}
