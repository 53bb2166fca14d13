import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { auditedAs } from '../../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import { customerScope, type Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type Evidence, parseEvidence, partnersOfMany, scoreOf, unionEvidence } from './duplicate-signals.ts';
import { customersWithPhone, storedPhone } from './same-phone.ts';

/** What suggestions need: the database (every `CoreDeps` is one). */
export interface SuggestionDeps {
  db: Kysely<Database>;
}

/** One likely duplicate of a customer. */
export interface Duplicate {
  customerId: number;
  /** The duplicate's name and company as stored (masking is the renderer's, per viewer). */
  name: string;
  company: string | null;
  score: number;
  evidence: Evidence[];
}

const pair = (x: number, y: number): [number, number] => (x < y ? [x, y] : [y, x]);

/**
 * (Re)computes the suggestions between this customer and every other one sharing a signal, adding new evidence to
 * open suggestions and creating missing ones; dismissed and merged pairs are never touched (a person decided), and a
 * merged-away customer gets none. Returns how many open suggestions the customer has.
 */
export async function refreshSuggestionsFor(
  deps: SuggestionDeps,
  customerId: number,
  now: number,
): Promise<number> {
  const partners = (await refreshSuggestionsForMany(deps, [customerId], now)).get(customerId);
  // Not there: merged away (or unknown). Its suggestions stay as they were: an undo brings them back.
  if (!partners) return 0;
  await dropStaleEvidence(deps.db, customerId, partners, now);
  return countOpen(deps.db, customerId);
}

/**
 * After a customer's phone, email, name or company changed: evidence of its open suggestions that neither side shows
 * any more is dropped (a corrected typo stops suggesting), and a suggestion left with none is deleted. What a customer
 * stated in a message stays: it was said. Compare-and-set on the evidence, so a racing writer's addition is not lost.
 */
async function dropStaleEvidence(
  db: Kysely<Database>,
  customerId: number,
  found: Map<number, Evidence[]>,
  now: number,
): Promise<void> {
  for (const row of await openRowsOf(db, customerId)) {
    const partnerId = row.customer_a_id === customerId ? row.customer_b_id : row.customer_a_id;
    const evidence = parseEvidence(row.evidence);
    const mine = found.get(partnerId) ?? [];
    const holds = (e: Evidence, seen: Evidence[]) =>
      e.signal === 'stated_phone' || seen.some((x) => x.signal === e.signal);
    if (evidence.every((e) => holds(e, mine))) continue;
    // The partner's side may still show it (a phone on one of its identities matching this customer's).
    const partner = await db
      .selectFrom('customers')
      .select(['id', 'phone', 'email', 'display_name', 'company'])
      .where('id', '=', partnerId)
      .executeTakeFirst();
    const theirs = partner
      ? ((await partnersOfMany(db, [partner])).get(partnerId)?.get(customerId) ?? [])
      : [];
    const kept = evidence.filter((e) => holds(e, mine) || holds(e, theirs));
    if (kept.length === evidence.length) continue;
    // Only where no one changed the evidence meanwhile (no transaction on D1).
    if (kept.length > 0)
      await db
        .updateTable('merge_suggestions')
        .set({ evidence: JSON.stringify(kept), score: scoreOf(kept), updated_at: now })
        .where('id', '=', row.id)
        .where('status', '=', 'open')
        .where('evidence', '=', row.evidence)
        .execute();
    else
      await db
        .deleteFrom('merge_suggestions')
        .where('id', '=', row.id)
        .where('status', '=', 'open')
        .where('evidence', '=', row.evidence)
        .execute();
  }
}

const REFRESH_BATCH = 300;

/**
 * `refreshSuggestionsFor` for many customers at once (an import's), a few queries per few hundred customers, adding
 * evidence only. Returns each live (not merged-away) customer's partners with the evidence found, empty when none
 * (each pair's suggestion, whatever its status, holds at least that).
 */
export async function refreshSuggestionsForMany(
  deps: SuggestionDeps,
  customerIds: number[],
  now: number,
): Promise<Map<number, Map<number, Evidence[]>>> {
  const { db } = deps;
  const done = new Set<string>();
  const all = new Map<number, Map<number, Evidence[]>>();
  for (let start = 0; start < customerIds.length; start += REFRESH_BATCH) {
    const customers = await db
      .selectFrom('customers')
      .select(['id', 'phone', 'email', 'display_name', 'company'])
      .where('id', 'in', customerIds.slice(start, start + REFRESH_BATCH))
      .where('merged_into_id', 'is', null)
      .execute();
    if (customers.length === 0) continue;
    const found = await partnersOfMany(db, customers);
    for (const c of customers) {
      const partners = found.get(c.id) ?? new Map<number, Evidence[]>();
      all.set(c.id, partners);
      for (const [partnerId, evidence] of partners) {
        const key = pair(c.id, partnerId).join(':');
        if (done.has(key)) continue; // both of the pair in the batch: once
        done.add(key);
        await upsertSuggestion(db, c.id, partnerId, evidence, now);
      }
    }
  }
  return all;
}

/**
 * A customer wrote a mobile number in a message: every other customer with that number becomes a suggestion (the
 * number is the customer's word, not a verified field, so it is evidence only and fills nothing).
 */
export async function suggestFromStatedPhone(
  deps: SuggestionDeps,
  customerId: number,
  rawPhone: string,
  now: number,
): Promise<number> {
  const merged = await deps.db
    .selectFrom('customers')
    .select('merged_into_id')
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!merged || merged.merged_into_id !== null) return 0;
  const phone = storedPhone(rawPhone);
  for (const partnerId of await customersWithPhone(deps.db, phone, customerId)) {
    await upsertSuggestion(deps.db, customerId, partnerId, [{ signal: 'stated_phone', detail: phone }], now);
  }
  return countOpen(deps.db, customerId);
}

/**
 * Adds evidence to the pair's suggestion, creating it open when there is none. Without a transaction (D1): the
 * insert is keyed by the pair, and the update only ever adds evidence to an open row, so racing writers converge.
 */
export async function upsertSuggestion(
  db: Kysely<Database>,
  x: number,
  y: number,
  evidence: Evidence[],
  now: number,
): Promise<void> {
  if (x === y || evidence.length === 0) return;
  const [a, b] = pair(x, y);
  const inserted = await db
    .insertInto('merge_suggestions')
    .values({
      customer_a_id: a,
      customer_b_id: b,
      score: scoreOf(evidence),
      evidence: JSON.stringify(unionEvidence([], evidence)),
      status: 'open',
      notified_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['customer_a_id', 'customer_b_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return;
  const row = await db
    .selectFrom('merge_suggestions')
    .select(['evidence', 'status'])
    .where('customer_a_id', '=', a)
    .where('customer_b_id', '=', b)
    .executeTakeFirst();
  if (row?.status !== 'open') return;
  const before = parseEvidence(row.evidence);
  const after = unionEvidence(before, evidence);
  const text = JSON.stringify(after);
  if (text === JSON.stringify(before)) return;
  await db
    .updateTable('merge_suggestions')
    .set({ evidence: text, score: scoreOf(after), updated_at: now })
    .where('customer_a_id', '=', a)
    .where('customer_b_id', '=', b)
    .where('status', '=', 'open')
    .execute();
}

async function countOpen(db: Kysely<Database>, customerId: number): Promise<number> {
  const rows = await openRowsOf(db, customerId);
  return rows.length;
}

function openRowsOf(db: Kysely<Database>, customerId: number) {
  // Two index lookups (the pair's unique key by a, the (b, status) index) rather than an OR that scans.
  const asA = db
    .selectFrom('merge_suggestions')
    .select(['id', 'customer_a_id', 'customer_b_id', 'score', 'evidence'])
    .where('customer_a_id', '=', customerId)
    .where('status', '=', 'open');
  const asB = db
    .selectFrom('merge_suggestions')
    .select(['id', 'customer_a_id', 'customer_b_id', 'score', 'evidence'])
    .where('customer_b_id', '=', customerId)
    .where('status', '=', 'open');
  return asA.unionAll(asB).execute();
}

/**
 * The open suggestions of one customer whose partner the viewer can see (and which is not merged away), strongest
 * first. The caller checks that the viewer may see the customer itself.
 */
export async function duplicatesOf(
  deps: SuggestionDeps,
  customerId: number,
  viewer: Viewer | null,
  limit: number,
): Promise<Duplicate[]> {
  const { db } = deps;
  const rows = await openRowsOf(db, customerId);
  if (rows.length === 0) return [];
  const partnerOf = (r: { customer_a_id: number; customer_b_id: number }) =>
    r.customer_a_id === customerId ? r.customer_b_id : r.customer_a_id;
  const scope = viewer ? customerScope(db, viewer) : null;
  let visible = db
    .selectFrom('customers')
    .select(['id', 'display_name', 'company'])
    .where('id', 'in', rows.map(partnerOf))
    .where('merged_into_id', 'is', null);
  if (scope) visible = visible.where(scope);
  const seen = new Map((await visible.execute()).map((r) => [r.id, r]));
  return rows
    .filter((r) => seen.has(partnerOf(r)))
    .map((r) => {
      const partner = seen.get(partnerOf(r));
      return {
        customerId: partnerOf(r),
        name: partner?.display_name ?? '',
        company: partner?.company ?? null,
        score: r.score,
        evidence: parseEvidence(r.evidence),
      };
    })
    .sort((p, q) => q.score - p.score || p.customerId - q.customerId)
    .slice(0, limit);
}

/** Moves a pair's suggestion from one status to another; true when there was one in `from`. */
async function moveSuggestion(
  db: Kysely<Database>,
  x: number,
  y: number,
  from: string,
  to: string,
  now: number,
): Promise<boolean> {
  const [a, b] = pair(x, y);
  const done = await db
    .updateTable('merge_suggestions')
    .set({ status: to, updated_at: now })
    .where('customer_a_id', '=', a)
    .where('customer_b_id', '=', b)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

/**
 * Marks a pair dismissed (a person who reaches both said they are two people), audited; true when an open suggestion
 * was dismissed.
 */
export async function dismissSuggestion(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  x: ReachedCustomer,
  y: ReachedCustomer,
): Promise<boolean> {
  const now = deps.clock.now();
  if (x.actor !== y.actor || !(await moveSuggestion(deps.db, x.id, y.id, 'open', 'dismissed', now)))
    return false;
  await audit(deps.db, now, {
    ...auditedAs(x.actor),
    action: 'duplicates.dismissed',
    subjectKind: 'customer',
    subjectId: `${Math.min(x.id, y.id)},${Math.max(x.id, y.id)}`,
  });
  return true;
}

/** The pair was merged: its suggestion (if any) is closed as merged. */
export async function markSuggestionMerged(db: Kysely<Database>, x: number, y: number, now: number) {
  await moveSuggestion(db, x, y, 'open', 'merged', now);
}

/** The pair's merge was undone: its suggestion (if it had one) is open again; the owner is not told a second time. */
export async function reopenSuggestion(db: Kysely<Database>, x: number, y: number, now: number) {
  await moveSuggestion(db, x, y, 'merged', 'open', now);
}
