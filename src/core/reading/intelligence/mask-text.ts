import { replaceContactData } from '../../kernel/permissions/mask.ts';

/**
 * Masks what identifies a person in free text before it leaves the process (to the model): what staff see masked
 * (phones, emails, ID-card numbers, found as `maskText` finds them) becomes a tag with nothing of it left, and so do
 * any other long digit runs (bank cards, ids) and @handles. Staff-facing text uses `maskTextFor` instead.
 */
export function maskSensitive(text: string): string {
  return replaceContactData(text, (kind) => (kind === 'email' ? '[email]' : '[number]'))
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]')
    .replace(/(?:\+?\d[\d\s-]{6,}\d)/g, (m) => (m.replace(/\D/g, '').length >= 7 ? '[number]' : m))
    .replace(/(^|\s)@\w{3,}/g, '$1[handle]');
}
