import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { storedPhone } from '../customers/same-phone.ts';
import { phoneVariants } from '../imports/values.ts';
import { maskEmail, maskPhone } from '../permissions/mask.ts';

/** What makes two customers look like one person. None of these links them automatically. */
export type Signal = 'phone' | 'email' | 'name_company' | 'stated_phone';

/** One reason for a suggestion: the signal and the value both customers share (rendered masked for reps). */
export interface Evidence {
  signal: Signal;
  detail: string;
}

/** How sure each signal alone makes a suggestion (0–100). */
export const SIGNAL_SCORES: Record<Signal, number> = {
  phone: 80,
  email: 70,
  stated_phone: 60,
  name_company: 50,
};

/** A suggestion this strong tells the owner once. */
export const STRONG_SCORE = 70;

/**
 * The score of a set of evidence: the strongest signal, raised by a quarter of each other one (two independent
 * signals agreeing are more convincing than either), never 100: only a person says two records are one.
 */
export function scoreOf(evidence: Evidence[]): number {
  const scores = [...new Set(evidence.map((e) => e.signal))]
    .map((s) => SIGNAL_SCORES[s])
    .sort((a, b) => b - a);
  if (scores.length === 0) return 0;
  const [top = 0, ...rest] = scores;
  return Math.min(99, Math.round(top + rest.reduce((sum, s) => sum + s / 4, 0)));
}

/** Evidence lists joined: one entry per signal, the later detail winning. */
export function unionEvidence(a: Evidence[], b: Evidence[]): Evidence[] {
  const bySignal = new Map<Signal, Evidence>();
  for (const e of [...a, ...b]) bySignal.set(e.signal, e);
  return [...bySignal.values()].sort((x, y) => SIGNAL_SCORES[y.signal] - SIGNAL_SCORES[x.signal]);
}

export function parseEvidence(text: string): Evidence[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed)
      ? parsed.filter(
          (e): e is Evidence =>
            typeof e === 'object' && e !== null && typeof e.signal === 'string' && e.signal in SIGNAL_SCORES,
        )
      : [];
  } catch {
    return [];
  }
}

/** An evidence value as it may be shown to anyone: phones and emails masked. */
export function maskedDetail(e: Evidence): string {
  if (e.signal === 'phone' || e.signal === 'stated_phone') return maskPhone(e.detail);
  if (e.signal === 'email') return maskEmail(e.detail);
  return e.detail;
}

/** Mainland mobile numbers stated in a text (`我的电话 138 1234 5678` counts; longer digit runs do not). */
export function statedMobiles(text: string): string[] {
  const found = new Set<string>();
  const compact = text.replace(/(\d)[\s-](?=\d)/g, '$1');
  for (const m of compact.matchAll(/(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)/g)) if (m[1]) found.add(m[1]);
  return [...found];
}

interface CustomerKeys {
  id: number;
  phone: string | null;
  email: string | null;
  display_name: string;
  company: string | null;
}

/**
 * Every other (not merged-away) customer sharing a signal with this one, with the evidence: the same phone in any
 * stored form (the customer's own or one of its identities', e.g. WeCom remark mobiles or a shared contact), the same
 * email (case-insensitive), the same name at the same company.
 */
export async function partnersOf(db: Kysely<Database>, c: CustomerKeys): Promise<Map<number, Evidence[]>> {
  const out = new Map<number, Evidence[]>();
  const add = (id: number, e: Evidence) => {
    if (id === c.id) return;
    out.set(id, unionEvidence(out.get(id) ?? [], [e]));
  };
  const identityPhones = await db
    .selectFrom('identities')
    .select('phone')
    .where('customer_id', '=', c.id)
    .where('phone', 'is not', null)
    .execute();
  const phones = [
    ...new Set(
      [c.phone, ...identityPhones.map((i) => i.phone)].filter(Boolean).map((p) => storedPhone(p as string)),
    ),
  ].filter((p) => p.replace(/\D/g, '').length >= 7);
  if (phones.length > 0) {
    const byVariant = new Map<string, string>();
    for (const p of phones) for (const v of phoneVariants(p)) byVariant.set(v, p);
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'phone'])
      .where('phone', 'in', [...byVariant.keys()])
      .where('merged_into_id', 'is', null)
      .execute();
    for (const r of rows)
      add(r.id, { signal: 'phone', detail: byVariant.get(r.phone ?? '') ?? (r.phone as string) });
  }
  const email = c.email?.trim().toLowerCase();
  if (email) {
    // Case-insensitive through the `lower(email)` index (migration 0013), on every dialect.
    const same = await db
      .selectFrom('customers')
      .select(['id', 'email'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email))
      .where('merged_into_id', 'is', null)
      .execute();
    for (const r of same) add(r.id, { signal: 'email', detail: email });
  }
  const company = c.company?.trim();
  const name = c.display_name.trim();
  // Through the `display_name` index (migration 0013); a one-character name is too weak a signal.
  if (company && [...name].length > 1) {
    const rows = await db
      .selectFrom('customers')
      .select(['customers.id', 'customers.company'])
      .where('customers.display_name', '=', name)
      .where('customers.company', 'is not', null)
      .where('customers.merged_into_id', 'is', null)
      .execute();
    for (const r of rows) {
      if (r.company?.trim().toLowerCase() === company.toLowerCase())
        add(r.id, { signal: 'name_company', detail: `${name} · ${company}` });
    }
  }
  return out;
}
