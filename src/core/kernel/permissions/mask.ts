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

/** What free text may hold that identifies a person. */
export type ContactKind = 'email' | 'id_card' | 'phone';

/** One piece of contact data found in free text: where it is, what it is, and how it reads masked. */
interface Found {
  start: number;
  end: number;
  kind: ContactKind;
  masked: string;
  /** The kind's place in KINDS: at one position the more specific kind wins. */
  rank: number;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');
const DAY = String.raw`(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])`;

/**
 * What counts as contact data inside free text, most specific first (at one position the first kind listed wins).
 * A phone or id stands alone: no digit touches it on either side, so an order number or an amount that merely
 * contains one stays as written; dates, times, prices and short numbers (12315, 400 lines) match nothing here.
 */
const KINDS: Array<{ kind: ContactKind; pattern: RegExp; mask: (m: string) => string }> = [
  {
    kind: 'email',
    // An address ends in a dot and letters: `a@b.com`, not `a@b` nor the full stop after it.
    pattern: /(?<![\w.%+-])[\w.%+-]+@[A-Za-z\d-]+(?:\.[A-Za-z\d-]+)*\.[A-Za-z]{2,}(?![\w-])/g,
    mask: maskEmail,
  },
  {
    kind: 'id_card',
    // 居民身份证: 18 characters (6-digit region, birth date, 3 digits, a check digit or X), or the old 15 digits.
    pattern: new RegExp(
      String.raw`(?<![\dA-Za-z])[1-9]\d{5}(?:(?:18|19|20)\d{2}${DAY}\d{3}[\dXx]|\d{2}${DAY}\d{3})(?![\dA-Za-z])`,
      'g',
    ),
    mask: (m) => `${m.slice(0, 3)}${'*'.repeat(m.length - 7)}${m.slice(-4)}`,
  },
  {
    kind: 'phone',
    // International: `+`, then 7 to 15 digits in groups (`+44 20 7946 0958`, `+1 (415) 555-2671`, `(+86) 138…`).
    pattern: /(?<![\dA-Za-z])\(?\+\d(?:[ ()-]{0,2}\d){6,14}(?!\d)/g,
    mask: (m) => {
      const digits = digitsOf(m);
      if (/^861[3-9]\d{9}$/.test(digits)) return maskPhone(digits);
      const written = /^\(?\+(\d{1,3})[ ()-]/.exec(m)?.[1];
      const code = written ?? digits.slice(0, /^[17]/.test(digits) ? 1 : 2);
      return `+${code} ****${digits.slice(-4)}`;
    },
  },
  {
    kind: 'phone',
    // Mainland mobiles: 13812345678, 138-1234-5678, 138 1234 5678, 138.1234.5678.
    pattern: /(?<!\d)1[3-9]\d[ .\u00a0\u3000-]?\d{4}[ .\u00a0\u3000-]?\d{4}(?!\d)/g,
    mask: (m) => maskPhone(digitsOf(m)),
  },
  {
    kind: 'phone',
    // Landlines with the area code: 010-12345678, (0755) 1234 5678, 02087654321 (7 or 8 digits after it).
    pattern: /(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[ -]?[1-9]\d{2,3}[ -]?\d{4}(?!\d)/g,
    mask: (m) => {
      const digits = digitsOf(m);
      return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
    },
  },
];

function findContactData(text: string): Found[] {
  const found: Found[] = [];
  for (const [rank, kind] of KINDS.entries()) {
    for (const m of text.matchAll(kind.pattern))
      found.push({
        start: m.index,
        end: m.index + m[0].length,
        kind: kind.kind,
        masked: kind.mask(m[0]),
        rank,
      });
  }
  // Earliest first; at one position the longer, then the more specific kind; anything overlapping a kept one goes.
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
  const kept: Found[] = [];
  for (const f of found) if (f.start >= (kept.at(-1)?.end ?? 0)) kept.push(f);
  return kept;
}

/**
 * Free text (a customer's message, a note, a remark) with every phone, email and ID-card number in it masked the
 * way the phone and email fields are: mobiles `138****5678` (`+86 138****5678`), other phones their first three
 * digits and last four (`010****5678`), international ones `+44 ****0958`, emails `w***@example.com`, ID cards
 * their first three characters and last four (`110***********1234`).
 */
export function maskText(text: string): string {
  return replaceContactData(text, (_, masked) => masked);
}

/** Free text with each phone, email and ID-card number replaced by what `by` makes of it (say a `[number]` tag). */
export function replaceContactData(text: string, by: (kind: ContactKind, masked: string) => string): string {
  let out = '';
  let at = 0;
  for (const f of findContactData(text)) {
    out += text.slice(at, f.start) + by(f.kind, f.masked);
    at = f.end;
  }
  return out + text.slice(at);
}

/** Whether free text holds a phone, email or ID-card number (shown whole, such a read is audited). */
export const holdsContactData = (text: string): boolean => findContactData(text).length > 0;

/**
 * Free text as a viewer may see it: masked (`maskText`) for those who may not unmask; whole for the others, with
 * `unmasked` telling the caller to audit the read (`customer.unmasked_read`) when it held anything maskable.
 */
export function maskTextFor(mayUnmask: boolean, text: string): { text: string; unmasked: boolean } {
  if (mayUnmask) return { text, unmasked: holdsContactData(text) };
  return { text: maskText(text), unmasked: false };
}
