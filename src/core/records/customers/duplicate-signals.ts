import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { maskEmail, maskPhone } from '../../kernel/permissions/mask.ts';
import { storedPhone } from './same-phone.ts';
import { phoneVariants } from './values.ts';

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
 * For each customer of a batch, every other (not merged-away) customer sharing a signal with it, with the evidence:
 * the same phone in any stored form (the customer's own or one of its identities', e.g. WeCom remark mobiles or a
 * shared contact), the same email (case-insensitive), the same name at the same company. Four queries whatever the
 * batch size: keep batches to a few hundred so the IN lists stay small. Keyed by the batch's customer ids.
 */
export async function partnersOfMany(
  db: Kysely<Database>,
  batch: CustomerKeys[],
): Promise<Map<number, Map<number, Evidence[]>>> {
  const out = new Map<number, Map<number, Evidence[]>>();
  const add = (id: number, partner: number, e: Evidence) => {
    if (id === partner) return;
    const partners = out.get(id) ?? new Map<number, Evidence[]>();
    partners.set(partner, unionEvidence(partners.get(partner) ?? [], [e]));
    out.set(id, partners);
  };
  await samePhone(db, batch, add);
  await sameEmail(db, batch, add);
  await sameNameAndCompany(db, batch, add);
  return out;
}

type AddEvidence = (id: number, partner: number, e: Evidence) => void;

async function samePhone(db: Kysely<Database>, batch: CustomerKeys[], add: AddEvidence): Promise<void> {
  const identityPhones = await db
    .selectFrom('identities')
    .select(['customer_id', 'phone'])
    .where(
      'customer_id',
      'in',
      batch.map((c) => c.id),
    )
    .where('phone', 'is not', null)
    .execute();
  // Each stored form of each phone, to the batch customers having it and the phone as evidence shows it.
  const owners = new Map<string, Array<{ id: number; phone: string }>>();
  const have = (id: number, raw: string | null) => {
    if (!raw) return;
    const phone = storedPhone(raw);
    if (phone.replace(/\D/g, '').length < 7) return;
    for (const v of phoneVariants(phone)) {
      const list = owners.get(v) ?? [];
      if (!list.some((o) => o.id === id)) list.push({ id, phone });
      owners.set(v, list);
    }
  };
  for (const c of batch) have(c.id, c.phone);
  for (const i of identityPhones) have(i.customer_id, i.phone);
  if (owners.size === 0) return;
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'phone'])
    .where('phone', 'in', [...owners.keys()])
    .where('merged_into_id', 'is', null)
    .execute();
  for (const r of rows)
    for (const o of owners.get(r.phone ?? '') ?? []) add(o.id, r.id, { signal: 'phone', detail: o.phone });
}

async function sameEmail(db: Kysely<Database>, batch: CustomerKeys[], add: AddEvidence): Promise<void> {
  const byEmail = new Map<string, number[]>();
  for (const c of batch) {
    const email = c.email?.trim().toLowerCase();
    if (email) byEmail.set(email, [...(byEmail.get(email) ?? []), c.id]);
  }
  if (byEmail.size === 0) return;
  // Case-insensitive through the `lower(email)` index (migration 0013), on every dialect.
  const rows = await db
    .selectFrom('customers')
    .select((eb) => ['id', eb.fn<string>('lower', ['email']).as('email')])
    .where((eb) => eb(eb.fn('lower', ['email']), 'in', [...byEmail.keys()]))
    .where('merged_into_id', 'is', null)
    .execute();
  for (const r of rows)
    for (const id of byEmail.get(r.email) ?? []) add(id, r.id, { signal: 'email', detail: r.email });
}

async function sameNameAndCompany(db: Kysely<Database>, batch: CustomerKeys[], add: AddEvidence) {
  const byName = new Map<string, CustomerKeys[]>();
  for (const c of batch) {
    const name = c.display_name.trim();
    // A one-character name is too weak a signal.
    if (c.company?.trim() && [...name].length > 1) byName.set(name, [...(byName.get(name) ?? []), c]);
  }
  if (byName.size === 0) return;
  // Through the `display_name` index (migration 0013).
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'display_name', 'company'])
    .where('display_name', 'in', [...byName.keys()])
    .where('company', 'is not', null)
    .where('merged_into_id', 'is', null)
    .execute();
  for (const r of rows) {
    for (const c of byName.get(r.display_name) ?? []) {
      const company = c.company?.trim() ?? '';
      if (r.company?.trim().toLowerCase() === company.toLowerCase())
        add(c.id, r.id, { signal: 'name_company', detail: `${r.display_name} · ${company}` });
    }
  }
}
