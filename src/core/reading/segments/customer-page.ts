import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { isPostgres } from '../../../../db/dialect.ts';
import type { Database } from '../../../../db/schema.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import { contactsShown } from '../../kernel/permissions/contacts-shown.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { LISTED_CUSTOMER_COLUMNS } from '../../records/customers/search.ts';
import { listScope, sourceCondition, tagCondition, textCondition } from './list-filters.ts';
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
  const cursor = query.after === undefined ? null : parseCursor(query.after);
  if (cursor === 'bad') return { kind: 'bad_cursor' };
  const filtered = await listConditions(deps, actor, query);
  if (filtered.kind !== 'ok') return filtered;
  const { conditions } = filtered;
  if (cursor) conditions.push(afterCursor(cursor));

  const where = (eb: ExpressionBuilder<Database, 'customers'>) =>
    eb.and(conditions.map((c) => c(eb as unknown as Eb)));
  const pageIds = db
    .selectFrom('customers')
    .select('customers.id')
    .where(where)
    .orderBy('customers.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('customers.id', 'desc')
    .limit(query.limit + 1);
  // PostgreSQL: the page's ids first, then their rows, so the walk in list order is an index-only scan of
  // `customers_list` instead of a row read for every customer it skips. SQLite reads a row only when it is needed.
  const rows = await (isPostgres(db)
    ? db.selectFrom('customers').innerJoin(pageIds.as('page'), 'page.id', 'customers.id')
    : db
        .selectFrom('customers')
        .where(where)
        .limit(query.limit + 1)
  )
    .leftJoin('staff as owner', 'owner.id', 'customers.owner_staff_id')
    .select(LISTED_CUSTOMER_COLUMNS)
    .orderBy('customers.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('customers.id', 'desc')
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

/**
 * The list's filters (and the actor's scope) as conditions on `customers`: what the list pages through and what the
 * console's export writes.
 */
export async function listConditions(
  deps: CoreDeps,
  actor: Actor,
  query: Omit<CustomerPageQuery, 'after' | 'limit'>,
): Promise<
  | { kind: 'ok'; conditions: Array<(eb: Eb) => Expression<SqlBool>> }
  | { kind: 'unknown_segment' | 'bad_segment' }
> {
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
  // The list's own filters, as a segment filter that keeps do-not-contact customers (a list is not outreach).
  const own: SegmentFilter = { doNotContact: 'include' };
  if (query.stage) own.stages = [query.stage];
  if (query.owner === 'none') own.unowned = true;
  else if (query.owner !== undefined) own.owners = [query.owner];
  const conditions = [segmentCondition(db, own, null, now)];
  if (query.tag) conditions.push(await tagCondition(db, query.tag));
  if (query.source) conditions.push(await sourceCondition(db, query.source));
  const scope = actor.viewer ? await listScope(db, actor.viewer) : null;
  if (scope) conditions.push(scope);
  if (segment) conditions.push(segmentCondition(db, segment, null, now));
  const text = query.q?.trim();
  if (text) conditions.push(await textCondition(db, text));
  return { kind: 'ok', conditions };
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
