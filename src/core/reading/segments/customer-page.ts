import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import { contactsShown } from '../../kernel/permissions/contacts-shown.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { LISTED_CUSTOMER_COLUMNS } from '../../records/customers/search.ts';
import { escapeLike, phoneDigits, searchNeedle } from '../../records/customers/search-text.ts';
import { segmentCondition } from './query.ts';
import { type SegmentFilter, segmentFor, storedFilter } from './segments.ts';

/** The console's customer list: filters on top of an optional saved segment, a page after a cursor. */
export interface CustomerPageQuery {
  /** Free text: `#id`, 4+ phone digits, or words of the name, company or username. */
  q?: string;
  stage?: string;
  /** A staff id, or `none` for the unowned pool (公海). */
  owner?: number | 'none';
  tag?: string;
  /** A channel code's key (the customer came through it). */
  source?: string;
  /** A saved segment by reference (`#id`, its name): its members only. */
  segment?: string;
  /** The previous page's `nextCursor`. */
  after?: string;
  limit: number;
}

/** A row of the list. Contact fields are shown as the actor may see them (masked for reps). */
export interface CustomerPageRow {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  stage: string;
  owner: { id: number; name: string } | null;
  tags: string[];
  lastContactAt: number | null;
}

export type CustomerPageOutcome =
  | { kind: 'page'; items: CustomerPageRow[]; nextCursor: string | null }
  | { kind: 'unknown_segment' | 'bad_segment' | 'bad_cursor' };

type Eb = ExpressionBuilder<Database, 'customers'>;

/**
 * Customers the actor reaches, most recently in contact first (never contacted last), a page at a time by keyset on
 * (last contact, id): each customer once across pages, however many there are. Merged-away records never appear.
 */
export async function customerPage(
  deps: CoreDeps,
  actor: Actor,
  query: CustomerPageQuery,
): Promise<CustomerPageOutcome> {
  const { db } = deps;
  const now = deps.clock.now();
  let segment: SegmentFilter | null = null;
  if (query.segment !== undefined) {
    const row = await segmentFor(db, actor.viewer, query.segment);
    if (!row) return { kind: 'unknown_segment' };
    const parsed = storedFilter(row);
    if (!parsed.ok) return { kind: 'bad_segment' };
    segment = parsed.filter;
  }
  const cursor = query.after === undefined ? null : parseCursor(query.after);
  if (cursor === 'bad') return { kind: 'bad_cursor' };
  // The list's own filters, as a segment filter that keeps do-not-contact customers (a list is not outreach).
  const own: SegmentFilter = { doNotContact: 'include' };
  if (query.stage) own.stages = [query.stage];
  if (query.owner === 'none') own.unowned = true;
  else if (query.owner !== undefined) own.owners = [query.owner];
  if (query.tag) own.tags = { all: [query.tag] };
  if (query.source) own.sources = [query.source];
  const conditions = [segmentCondition(db, own, actor.viewer, now)];
  if (segment) conditions.push(segmentCondition(db, segment, null, now));
  const text = query.q?.trim();
  if (text) conditions.push(textCondition(text));
  if (cursor) conditions.push(afterCursor(cursor));

  const rows = await db
    .selectFrom('customers')
    .leftJoin('staff as owner', 'owner.id', 'customers.owner_staff_id')
    .select(LISTED_CUSTOMER_COLUMNS)
    .where((eb) => eb.and(conditions.map((c) => c(eb as unknown as Eb))))
    .orderBy('customers.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('customers.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const tags = await tagsOf(
    deps,
    page.map((r) => r.id),
  );
  const items = await contactsShown(
    deps,
    actor,
    page.map((r) => ({
      id: Number(r.id),
      name: r.display_name,
      company: r.company,
      phone: r.phone,
      email: r.email,
      stage: r.stage,
      owner: r.owner_staff_id === null ? null : { id: Number(r.owner_staff_id), name: r.owner_name ?? '' },
      tags: tags.get(Number(r.id)) ?? [],
      lastContactAt: r.last_contact_at === null ? null : Number(r.last_contact_at),
    })),
    { page: 'console' },
  );
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? `${last.last_contact_at === null ? 'n' : Number(last.last_contact_at)}.${Number(last.id)}`
      : null;
  return { kind: 'page', items, nextCursor };
}

type Cursor = { lastContactAt: number | null; id: number };

/** `<last contact ms>.<id>`, or `n.<id>` past the customers never contacted. */
function parseCursor(raw: string): Cursor | 'bad' {
  const m = /^(n|\d{1,15})\.(\d{1,15})$/.exec(raw);
  if (!m?.[1] || !m[2]) return 'bad';
  return { lastContactAt: m[1] === 'n' ? null : Number(m[1]), id: Number(m[2]) };
}

/** The rows after the cursor in the list's order (last contact descending, nulls last; then id descending). */
function afterCursor(c: Cursor): (eb: Eb) => Expression<SqlBool> {
  return (eb) => {
    if (c.lastContactAt === null)
      return eb.and([eb('customers.last_contact_at', 'is', null), eb('customers.id', '<', c.id)]);
    return eb.or([
      eb('customers.last_contact_at', '<', c.lastContactAt),
      eb.and([eb('customers.last_contact_at', '=', c.lastContactAt), eb('customers.id', '<', c.id)]),
      eb('customers.last_contact_at', 'is', null),
    ]);
  };
}

/** `#id`, phone digits, or the words, matched as `/find` matches them against the customer's search text. */
function textCondition(q: string): (eb: Eb) => Expression<SqlBool> {
  const id = /^#(\d{1,12})$/.exec(q);
  if (id) return (eb) => eb('customers.id', '=', Number(id[1]));
  const digits = phoneDigits(q);
  const needle = digits !== null && digits.length >= 4 ? digits : searchNeedle(q);
  return () => sql<SqlBool>`customers.search_text like ${`%${escapeLike(needle)}%`} escape '\\'`;
}

async function tagsOf(deps: CoreDeps, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (ids.length === 0) return out;
  const rows = await deps.db
    .selectFrom('customer_tags')
    .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
    .select(['customer_tags.customer_id', 'tags.name'])
    .where('customer_tags.customer_id', 'in', ids)
    .orderBy('tags.name')
    .execute();
  for (const r of rows) out.set(Number(r.customer_id), [...(out.get(Number(r.customer_id)) ?? []), r.name]);
  return out;
}
