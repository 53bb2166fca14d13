/** Masks a phone number for people who may not see it whole: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  const head = digits.length >= 11 ? digits.slice(-11, -8) : digits.slice(0, 3);
  const prefix = digits.length > 11 ? `+${digits.slice(0, -11)} ` : '';
  return `${prefix}${head}****${digits.slice(-4)}`;
}

/** Masks an email address: li.lei@example.com → l***@example.com. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/** Phone and email as a viewer may see them; `unmasked` tells whether anything was shown whole (to audit). */
export function visibleContact(
  mayUnmask: boolean,
  c: { phone: string | null; email: string | null },
): { phone: string | null; email: string | null; unmasked: boolean } {
  if (mayUnmask) return { phone: c.phone, email: c.email, unmasked: Boolean(c.phone || c.email) };
  return {
    phone: c.phone ? maskPhone(c.phone) : null,
    email: c.email ? maskEmail(c.email) : null,
    unmasked: false,
  };
}
