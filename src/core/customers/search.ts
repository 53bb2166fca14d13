import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { customerScope, type Viewer } from '../permissions/scope.ts';
import { escapeLike } from './search-text.ts';

export interface CustomerQuery {
  /** Free text: a name (two Chinese characters are enough), company, username, phone digits, or `#id`. */
  q?: string;
  tag?: string;
  stage?: string;
  /** A staff id, or 'none' for the unowned pool. */
  owner?: number | 'none';
  limit: number;
  /** Restricts to what this staff member may see; absent for the integration API (admin-level). */
  viewer?: Viewer;
}

/** What every view of a customer shows. */
export interface CustomerBasics {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  stage: string;
  owner: { id: number; name: string } | null;
  firstContactAt: number;
  lastContactAt: number | null;
}

export interface CustomerSummary extends CustomerBasics {
  tags: string[];
}

/** Customers matching every given filter, most recently in contact first. Merged-away records never appear. */
export async function searchCustomers(
  db: Kysely<Database>,
  query: CustomerQuery,
): Promise<CustomerSummary[]> {
  let qb = db
    .selectFrom('customers')
    .leftJoin('staff as owner', 'owner.id', 'customers.owner_staff_id')
    .select([
      'customers.id',
      'customers.display_name',
      'customers.company',
      'customers.phone',
      'customers.email',
      'customers.stage',
      'customers.owner_staff_id',
      'owner.display_name as owner_name',
      'customers.first_contact_at',
      'customers.last_contact_at',
    ])
    .where('customers.merged_into_id', 'is', null);

  const q = query.q?.trim();
  if (q) {
    const id = /^#?(\d{1,12})$/.exec(q);
    const digits = q.replace(/[\s\-+()]/g, '');
    if (id && q.startsWith('#')) {
      qb = qb.where('customers.id', '=', Number(id[1]));
    } else if (/^\d{4,}$/.test(digits)) {
      qb = qb.where((eb) =>
        eb.or([textMatches(digits), ...(id ? [eb('customers.id', '=', Number(id[1]))] : [])]),
      );
    } else {
      qb = qb.where(textMatches(q.toLowerCase()));
    }
  }
  if (query.tag) {
    const tag = query.tag;
    qb = qb.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('customer_tags')
          .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
          .select('customer_tags.tag_id')
          .whereRef('customer_tags.customer_id', '=', 'customers.id')
          .where('tags.name', '=', tag),
      ),
    );
  }
  if (query.stage) qb = qb.where('customers.stage', '=', query.stage);
  if (query.owner === 'none') qb = qb.where('customers.owner_staff_id', 'is', null);
  else if (query.owner !== undefined) qb = qb.where('customers.owner_staff_id', '=', query.owner);
  const scope = query.viewer ? customerScope(db, query.viewer) : null;
  if (scope) qb = qb.where(scope);

  const rows = await qb
    .orderBy('customers.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('customers.id', 'desc')
    .limit(query.limit)
    .execute();
  const tags = await tagsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.display_name,
    company: r.company,
    phone: r.phone,
    email: r.email,
    stage: r.stage,
    owner: r.owner_staff_id !== null ? { id: r.owner_staff_id, name: r.owner_name ?? '' } : null,
    tags: tags.get(r.id) ?? [],
    firstContactAt: r.first_contact_at,
    lastContactAt: r.last_contact_at,
  }));
}

const textMatches = (needle: string) =>
  sql<boolean>`customers.search_text like ${`%${escapeLike(needle)}%`} escape '\\'`;

async function tagsOf(db: Kysely<Database>, customerIds: number[]): Promise<Map<number, string[]>> {
  const byCustomer = new Map<number, string[]>();
  if (customerIds.length === 0) return byCustomer;
  const rows = await db
    .selectFrom('customer_tags')
    .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
    .select(['customer_tags.customer_id', 'tags.name'])
    .where('customer_tags.customer_id', 'in', customerIds)
    .orderBy('tags.name')
    .execute();
  for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r.name]);
  return byCustomer;
}
