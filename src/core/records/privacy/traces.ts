import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';

/**
 * A piece of text that identifies a customer inside records that have no customer column (raw deliveries, sends,
 * audit details, assistant plans, cached model answers). `strong` pieces name the person exactly (a platform id, a
 * phone, an email); a name or `#id` may also appear in what others wrote about them.
 */
export interface Trace {
  /** Lower-cased. Found only as a whole word where it starts or ends with a letter or digit: `#12` is not `#123`. */
  text: string;
  strong: boolean;
}

/**
 * The customer and every record merged into them (at any depth): erasing or exporting one covers them all.
 * Merged records first, the customer last, so deleting in this order never orphans a merged record.
 */
export async function customerFamily(db: Kysely<Database>, customerId: number): Promise<number[]> {
  const family: number[] = [];
  let level = [customerId];
  const seen = new Set(level);
  while (level.length > 0) {
    family.unshift(...level);
    const children = await db
      .selectFrom('customers')
      .select('id')
      .where('merged_into_id', 'in', level)
      .execute();
    level = children.map((c) => c.id).filter((id) => !seen.has(id));
    for (const id of level) seen.add(id);
  }
  return family;
}

/** Every text that identifies these customers: names, usernames, phones, emails, platform ids, `#id`. */
export async function customerTraces(db: Kysely<Database>, ids: number[]): Promise<Trace[]> {
  if (ids.length === 0) return [];
  const [customers, identities, chats] = await Promise.all([
    db
      .selectFrom('customers')
      .select(['id', 'display_name', 'phone', 'email'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('identities')
      .select(['external_id', 'union_id', 'display_name', 'username', 'phone'])
      .where('customer_id', 'in', ids)
      .execute(),
    db.selectFrom('chats').select('platform_chat_id').where('customer_id', 'in', ids).execute(),
  ]);
  const traces = new Map<string, Trace>();
  const add = (raw: string | null | undefined, strong: boolean) => {
    const text = raw?.trim().toLowerCase();
    if (!text || [...text].length < 2) return;
    // Short numbers would match counters and times everywhere: only long ones identify a person.
    if (/^[#+]?\d+$/.test(text) && text.replace(/\D/g, '').length < 5) return;
    const known = traces.get(text);
    traces.set(text, { text, strong: strong || Boolean(known?.strong) });
    // JSON written by some senders escapes non-ASCII characters (`\u738b`): look for that spelling too.
    const escaped = jsonEscaped(text);
    if (escaped !== text) traces.set(escaped, { text: escaped, strong });
  };
  const addPhone = (phone: string | null) => {
    if (!phone) return;
    const digits = phone.replace(/\D/g, '');
    add(phone, true);
    add(digits, true);
    if (digits.startsWith('86') && digits.length === 13) add(digits.slice(2), true);
  };
  for (const c of customers) {
    add(c.display_name, false);
    add(c.email, true);
    addPhone(c.phone);
    traces.set(`#${c.id}`, { text: `#${c.id}`, strong: false });
  }
  for (const i of identities) {
    add(i.external_id, true);
    add(i.union_id, true);
    add(i.display_name, false);
    add(i.username, true);
    addPhone(i.phone);
  }
  for (const c of chats) add(c.platform_chat_id, true);
  return [...traces.values()];
}

/**
 * Whether a text holds one of the traces, case-insensitively, as a whole word at its Latin or digit edges (`li` is
 * not in `client`, user 5551 is not in 55512, `#12` is not `#123`); Chinese names have no word edges to check.
 */
export function holdsTrace(text: string | null, traces: readonly Trace[]): boolean {
  if (!text) return false;
  const lower = text.toLowerCase();
  return traces.some((t) => {
    const edgeBefore = WORD.test(t.text[0] ?? '');
    const edgeAfter = WORD.test(t.text.at(-1) ?? '');
    for (let at = lower.indexOf(t.text); at >= 0; at = lower.indexOf(t.text, at + 1)) {
      const before = lower[at - 1] ?? '';
      const after = lower[at + t.text.length] ?? '';
      if (!(edgeBefore && WORD.test(before)) && !(edgeAfter && WORD.test(after))) return true;
    }
    return false;
  });
}

const WORD = /^[a-z0-9]$/;

/** LIKE patterns (escape character `\\`) that find candidate rows for the traces; `holdsTrace` decides. */
export const likePatterns = (traces: readonly Trace[]): string[] =>
  traces.map((t) => `%${t.text.replace(/[\\%_]/g, '\\$&')}%`);

/** Non-ASCII characters as JSON `\\uXXXX` escapes (UTF-16 units, lower-case hex, as JSON encoders write them). */
const jsonEscaped = (text: string): string =>
  text.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
