import type { Kysely, Selectable } from 'kysely';
import type { Database, SegmentTable } from '../../../../db/schema.ts';
import { type Catalogue, inEach, type Lang, messages } from '../../kernel/i18n/index.ts';
import { maySeeOwnedNow, ownedCondition, ownerReach } from '../../kernel/permissions/ownership.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import { LISTED_CUSTOMER_COLUMNS } from '../../records/customers/search.ts';
import { parseSegmentFilter, type SegmentFilter } from './filter.ts';
import { segmentCondition } from './query.ts';

export {
  filterIssue,
  parseSegmentFilter,
  type SegmentFilter,
  SegmentFilterSchema,
  unknownStages,
} from './filter.ts';

/** A saved segment as stored (`filter` is JSON text). */
export type SegmentRow = Selectable<SegmentTable>;

/** What segment queries need: the database (CoreDeps has it). */
export interface SegmentDeps {
  db: Kysely<Database>;
}

type BuiltinSegment = keyof Catalogue['segments']['builtin'];
const BUILTIN_NAMES = Object.keys(messages('zh').segments.builtin) as BuiltinSegment[];

/** The built-in segments' names in both languages (from the catalogue); their Chinese names find them too. */
export const BUILTIN_TITLES: Readonly<Record<string, Record<Lang, string>>> = Object.fromEntries(
  BUILTIN_NAMES.map((name) => [name, inEach((lang) => messages(lang).segments.builtin[name])]),
);

/** How a segment is called in a reply: `dormant（沉睡客户）`, or just its name. */
export function segmentTitle(row: Pick<SegmentRow, 'name' | 'builtin'>, lang: Lang): string {
  const title = row.builtin === 1 ? BUILTIN_TITLES[row.name]?.[lang] : undefined;
  if (!title) return row.name;
  return messages(lang).segments.title(row.name, title);
}

/** Every segment, built-ins first, then by id. */
export function listSegments(db: Kysely<Database>): Promise<SegmentRow[]> {
  return db.selectFrom('segments').selectAll().orderBy('builtin', 'desc').orderBy('id').execute();
}

/** The segments a viewer reaches (built-ins, their team's, their own, the organisation's for managers). */
export async function segmentsFor(db: Kysely<Database>, viewer: Viewer | null): Promise<SegmentRow[]> {
  const where = ownedCondition(await ownerReach(db, viewer), 'segments');
  let q = db.selectFrom('segments').selectAll().orderBy('builtin', 'desc').orderBy('id');
  if (where) q = q.where((eb) => eb.or([eb('segments.builtin', '=', 1), where(eb)]));
  return q.execute();
}

/** A segment by reference as the viewer reaches it; another team's answers as if it did not exist. */
export async function segmentFor(
  db: Kysely<Database>,
  viewer: Viewer | null,
  ref: string,
): Promise<SegmentRow | null> {
  const s = await findSegment(db, ref);
  if (!s) return null;
  return s.builtin === 1 || (await maySeeOwnedNow(db, await ownerReach(db, viewer), s)) ? s : null;
}

/**
 * The segment a reference names: its exact name, `#id` or a bare id, a built-in's Chinese name (沉睡客户 →
 * dormant, 流失挽回 → win-back), or its name in another letter case. Null when none.
 */
export async function findSegment(db: Kysely<Database>, ref: string): Promise<SegmentRow | null> {
  const r = ref.trim().replace(/^["“「](.*)["”」]$/, '$1');
  if (!r) return null;
  const byName = await db.selectFrom('segments').selectAll().where('name', '=', r).executeTakeFirst();
  if (byName) return byName;
  const id = /^#?\s*(\d{1,15})$/.exec(r)?.[1];
  if (id) {
    return (
      (await db.selectFrom('segments').selectAll().where('id', '=', Number(id)).executeTakeFirst()) ?? null
    );
  }
  const lower = r.toLowerCase();
  const all = await listSegments(db);
  const builtin = Object.entries(BUILTIN_TITLES).find(
    ([, t]) => t.zh === r || t.en.toLowerCase() === lower,
  )?.[0];
  return (
    all.find((s) => s.builtin === 1 && s.name === builtin) ??
    all.find((s) => s.name.toLowerCase() === lower) ??
    null
  );
}

/** The stored filter of a segment, validated (a filter stored before a schema change may no longer be). */
export function storedFilter(row: Pick<SegmentRow, 'filter'>) {
  return parseSegmentFilter(row.filter);
}

/**
 * Every member of a segment, ids ascending: within the viewer's data scope when one is given (null: the whole
 * organisation), merged customers excluded.
 */
export async function segmentCustomerIds(
  deps: SegmentDeps,
  filter: SegmentFilter,
  viewer: Viewer | null,
  now: number,
): Promise<number[]> {
  const rows = await deps.db
    .selectFrom('customers')
    .select('customers.id')
    .where(segmentCondition(deps.db, filter, viewer, now))
    .orderBy('customers.id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** How many customers a segment has, as `segmentCustomerIds` counts them. */
export async function countSegment(
  deps: SegmentDeps,
  filter: SegmentFilter,
  viewer: Viewer | null,
  now: number,
): Promise<number> {
  const row = await deps.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(segmentCondition(deps.db, filter, viewer, now))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A member as a sample shows it; phone and email are whole here: mask them for the viewer before showing. */
export interface SegmentMember {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  stage: string;
  owner: { id: number; name: string } | null;
  lastContactAt: number | null;
}

/** Up to `limit` members, most recently in contact first. */
export async function segmentSample(
  deps: SegmentDeps,
  filter: SegmentFilter,
  viewer: Viewer | null,
  now: number,
  limit: number,
): Promise<SegmentMember[]> {
  const rows = await deps.db
    .selectFrom('customers')
    .leftJoin('staff as owner', 'owner.id', 'customers.owner_staff_id')
    .select(LISTED_CUSTOMER_COLUMNS)
    .where(segmentCondition(deps.db, filter, viewer, now))
    .orderBy('customers.last_contact_at', (ob) => ob.desc().nullsLast())
    .orderBy('customers.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.display_name,
    company: r.company,
    phone: r.phone,
    email: r.email,
    stage: r.stage,
    owner: r.owner_staff_id === null ? null : { id: r.owner_staff_id, name: r.owner_name ?? '' },
    lastContactAt: r.last_contact_at,
  }));
}
