/**
 * Masks what identifies a person in free text before it leaves the process or reaches a log-like surface: phone
 * numbers, emails, long digit runs (ids, cards), and @handles.
 */
export function maskSensitive(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]')
    .replace(/(?:\+?\d[\d\s-]{6,}\d)/g, (m) => (m.replace(/\D/g, '').length >= 7 ? '[number]' : m))
    .replace(/(^|\s)@\w{3,}/g, '$1[handle]');
}
