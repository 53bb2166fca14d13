/** Masks a phone number for people who may not see it whole: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  const head = digits.length >= 11 ? digits.slice(-11, -8) : digits.slice(0, 3);
  const prefix = digits.length > 11 ? `+${digits.slice(0, -11)} ` : '';
  return `${prefix}${head}****${digits.slice(-4)}`;
}
