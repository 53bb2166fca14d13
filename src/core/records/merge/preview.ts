import type { Kysely } from 'kysely';
import type { Database, Platform, TagSource } from '../../../../db/schema.ts';
import { maskEmail, maskPhone } from '../../kernel/permissions/mask.ts';
import { customerScope, type Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type MergedValues, mergedValues } from './rules.ts';
import { customerBefore } from './snapshot.ts';

/** One of the two records as the preview shows it. Phone and email are masked: the preview only shows which wins. */
export interface MergeSide {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  owner: { id: number; name: string } | null;
  stage: string;
  source: string | null;
  firstContactAt: number;
  identities: Array<{ platform: Platform; name: string | null }>;
  tags: Array<{ name: string; source: TagSource }>;
  counts: { messages: number; notes: number; deals: number; reminders: number };
}

/** What merging `merged` into `survivor` would do: both sides, and the kept record's values with why. */
export interface MergePreview {
  survivor: MergeSide;
  merged: MergeSide;
  result: MergedValues;
}

export type PreviewOutcome =
  | { kind: 'preview'; preview: MergePreview }
  | { kind: 'unknown' }
  | { kind: 'same' };

/**
 * Whether the viewer (undefined: unrestricted, the API's admin token) may merge these two: both exist, are not merged
 * away, and are in the viewer's scope. Anything else reads as "no such customer".
 */
export async function mayMerge(
  db: Kysely<Database>,
  viewer: Viewer | undefined,
  survivorId: number,
  mergedId: number,
): Promise<boolean> {
  const scope = viewer ? customerScope(db, viewer) : null;
  let q = db
    .selectFrom('customers')
    .select('id')
    .where('id', 'in', [survivorId, mergedId])
    .where('merged_into_id', 'is', null);
  if (scope) q = q.where(scope);
  return (await q.execute()).length === new Set([survivorId, mergedId]).size;
}

/**
 * The preview of a merge (writes nothing): identities, owners, stages, tags with their source and how many messages,
 * notes, deals and reminders each side has, and which values the kept record gets and why. Both customers must be
 * visible to the viewer (undefined: unrestricted); otherwise "unknown", exactly as for ids that do not exist.
 */
export async function previewMerge(
  deps: CoreDeps,
  survivorId: number,
  mergedId: number,
  viewer: Viewer | undefined,
): Promise<PreviewOutcome> {
  const { db } = deps;
  if (!(await mayMerge(db, viewer, survivorId, mergedId))) return { kind: 'unknown' };
  if (survivorId === mergedId) return { kind: 'same' };
  const [s, m] = await Promise.all([customerBefore(db, survivorId), customerBefore(db, mergedId)]);
  if (!s || !m) return { kind: 'unknown' };
  const [survivor, merged] = await Promise.all([side(db, survivorId), side(db, mergedId)]);
  const result = mergedValues(deps.org.stages, s, m);
  const masked = <T extends string | null>(v: T, mask: (x: string) => string) =>
    v === null ? null : mask(v);
  result.phone = { ...result.phone, value: masked(result.phone.value, maskPhone) };
  result.email = { ...result.email, value: masked(result.email.value, maskEmail) };
  return { kind: 'preview', preview: { survivor, merged, result } };
}

async function side(db: Kysely<Database>, id: number): Promise<MergeSide> {
  const c = await db
    .selectFrom('customers')
    .leftJoin('staff', 'staff.id', 'customers.owner_staff_id')
    .select([
      'customers.id',
      'customers.display_name',
      'customers.company',
      'customers.phone',
      'customers.email',
      'customers.owner_staff_id',
      'staff.display_name as owner_name',
      'customers.stage',
      'customers.source',
      'customers.first_contact_at',
    ])
    .where('customers.id', '=', id)
    .executeTakeFirstOrThrow();
  const [identities, tags, messages, notes, deals, reminders] = await Promise.all([
    db
      .selectFrom('identities')
      .select(['platform', 'display_name', 'username'])
      .where('customer_id', '=', id)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select(['tags.name', 'customer_tags.source'])
      .where('customer_tags.customer_id', '=', id)
      .orderBy('tags.name')
      .execute(),
    count(db, 'messages', id),
    count(db, 'notes', id),
    count(db, 'deals', id),
    count(db, 'reminders', id),
  ]);
  return {
    id,
    name: c.display_name,
    company: c.company,
    phone: c.phone ? maskPhone(c.phone) : null,
    email: c.email ? maskEmail(c.email) : null,
    owner: c.owner_staff_id === null ? null : { id: c.owner_staff_id, name: c.owner_name ?? '' },
    stage: c.stage,
    source: c.source,
    firstContactAt: c.first_contact_at,
    identities: identities.map((i) => ({ platform: i.platform, name: i.display_name ?? i.username })),
    tags: tags.map((t) => ({ name: t.name, source: t.source })),
    counts: { messages, notes, deals, reminders },
  };
}

async function count(
  db: Kysely<Database>,
  table: 'messages' | 'notes' | 'deals' | 'reminders',
  customerId: number,
): Promise<number> {
  // The tables differ, the column counted by does not: typed as one of them.
  const row = await db
    .selectFrom(table as 'notes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
