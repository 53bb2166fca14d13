import type { Insertable, Kysely } from 'kysely';
import type { Database, IdentityTable, Platform } from '../../../../db/schema.ts';
import { refreshSearchText } from '../customers/profile.ts';
import { indexNewCustomers } from '../customers/search-index.ts';
import { buildSearchText } from '../customers/search-text.ts';
import { addTag, ensureTag } from '../tags/tags.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import type { ImportPlan, PlannedCustomer } from './plan.ts';

/** The platform (and workspace) that reports WeChat unionids, where imported unionids are kept as identities. */
export interface UnionIdHome {
  platform: Platform;
  workspace: string;
}

export interface WriteOptions {
  now: number;
  /** `customers.source` of new customers, e.g. `import:customers.csv`. */
  source: string;
  /** Unique per import run: keys the new customers' `origin_key` and timeline events. */
  runKey: string;
  /** Where WeChat unionids become identities: the platform that reports them and its workspace (WeCom's corp id). */
  unionIdsOn: UnionIdHome;
  /** The first configured stage: new customers without one start there. */
  firstStage: string;
  onProgress?: (done: number, total: number) => void;
}

// Rows per multi-row insert: well under SQLite's and PostgreSQL's bind-parameter limits.
const INSERT_BATCH = 200;
/** Imported tags are a person's (the one who made the file): manual, marked as coming from an import. */
export const IMPORT_TAG_REF = 'import';

/**
 * Writes an import plan: new customers (with their unionid identities, tags, notes and a timeline event) in batches,
 * then the merges into existing customers (empty fields filled, tags and notes added). Run it inside a transaction:
 * it makes many statements, and a failure part-way must leave nothing behind. Returns the ids written (created and
 * merged into).
 */
export async function writeImportPlan(
  trx: Kysely<Database>,
  plan: ImportPlan,
  o: WriteOptions,
): Promise<number[]> {
  const created = plan.customers.filter((c) => !c.existing);
  const written: number[] = [];
  const merged = plan.customers.filter((c) => c.existing);
  const total = plan.customers.length;
  let done = 0;
  for (let start = 0; start < created.length; start += INSERT_BATCH) {
    const batch = created.slice(start, start + INSERT_BATCH);
    written.push(...(await insertNew(trx, batch, o)));
    done += batch.length;
    o.onProgress?.(done, total);
  }
  for (const c of merged) {
    await mergeExisting(trx, c, o);
    written.push(c.existing?.id as number);
    done++;
    if (done % INSERT_BATCH === 0 || done === total) o.onProgress?.(done, total);
  }
  return written;
}

async function insertNew(
  trx: Kysely<Database>,
  batch: PlannedCustomer[],
  o: WriteOptions,
): Promise<number[]> {
  const originKey = (c: PlannedCustomer) => `import:${o.runKey}:${c.rows[0]?.row}`;
  const inserted = await trx
    .insertInto('customers')
    .values(
      batch.map((c) => ({
        display_name: c.values.name,
        company: c.values.company,
        phone: c.values.phone,
        email: c.values.email,
        owner_staff_id: c.values.ownerStaffId,
        stage: c.values.stage ?? o.firstStage,
        stage_source: c.values.stage ? ('manual' as const) : ('auto' as const),
        language: null,
        source: o.source,
        do_not_contact: 0,
        origin_key: originKey(c),
        search_text: buildSearchText([c.values.name, c.values.company, c.values.email], c.values.phone),
        first_contact_at: o.now,
        created_at: o.now,
        updated_at: o.now,
      })),
    )
    .returning(['id', 'origin_key'])
    .execute();
  const idOf = new Map(inserted.map((r) => [r.origin_key, r.id]));
  const withIds = batch.map((c) => ({ c, id: idOf.get(originKey(c)) as number }));
  await indexNewCustomers(
    trx,
    withIds.map(({ id }) => id),
  );
  await insertUnionIdentities(
    trx,
    withIds.flatMap(({ c, id }) => unionIdentities(c, id, o)),
  );
  const tagRows = [];
  for (const { c, id } of withIds) {
    for (const name of c.tags) {
      tagRows.push({
        customer_id: id,
        tag_id: await ensureTag(trx, name, o.now),
        source: 'manual' as const,
        source_ref: IMPORT_TAG_REF,
        confidence: null,
        message_id: null,
        actor_staff_id: null,
        created_at: o.now,
        mirrored_at: null,
      });
    }
  }
  for (let i = 0; i < tagRows.length; i += INSERT_BATCH)
    await trx
      .insertInto('customer_tags')
      .values(tagRows.slice(i, i + INSERT_BATCH))
      .execute();
  const notes = withIds.flatMap(({ c, id }) =>
    c.notes.map((body) => ({
      customer_id: id,
      author_staff_id: null,
      body,
      created_at: o.now,
      request_key: null,
    })),
  );
  for (let i = 0; i < notes.length; i += INSERT_BATCH)
    await trx
      .insertInto('notes')
      .values(notes.slice(i, i + INSERT_BATCH))
      .execute();
  await trx
    .insertInto('customer_events')
    .values(
      withIds.map(({ c, id }) => ({
        customer_id: id,
        event_key: `import:${o.runKey}:${id}`,
        at: o.now,
        kind: 'imported',
        platform: null,
        actor_staff_id: null,
        detail: JSON.stringify({ source: o.source, rows: c.rows.map((r) => r.row) }),
      })),
    )
    .execute();
  return withIds.map(({ id }) => id);
}

async function mergeExisting(trx: Kysely<Database>, c: PlannedCustomer, o: WriteOptions): Promise<void> {
  const id = c.existing?.id as number;
  if (c.filled.length > 0) {
    await trx
      .updateTable('customers')
      .set({
        ...(c.filled.includes('company') ? { company: c.values.company } : {}),
        ...(c.filled.includes('phone') ? { phone: c.values.phone } : {}),
        ...(c.filled.includes('email') ? { email: c.values.email } : {}),
        ...(c.filled.includes('ownerStaffId') ? { owner_staff_id: c.values.ownerStaffId } : {}),
        updated_at: o.now,
      })
      .where('id', '=', id)
      .execute();
  }
  await insertUnionIdentities(trx, unionIdentities(c, id, o));
  const added: string[] = [];
  for (const name of c.tags) {
    if (await addTag(trx, { customerId: id, name, source: 'manual', sourceRef: IMPORT_TAG_REF }, o.now))
      added.push(name);
  }
  for (const body of c.notes)
    await trx
      .insertInto('notes')
      .values({ customer_id: id, author_staff_id: null, body, created_at: o.now, request_key: null })
      .execute();
  if (c.filled.length > 0 || c.unionIds.length > 0) await refreshSearchText(trx, id);
  await recordCustomerEvent(trx, {
    customerId: id,
    key: `import:${o.runKey}:${id}`,
    at: o.now,
    kind: 'import_merged',
    detail: { source: o.source, rows: c.rows.map((r) => r.row), filled: c.filled, tagsAdded: added },
  });
}

/** The identities a row's WeChat unionids become, on the platform that reports them. */
function unionIdentities(c: PlannedCustomer, id: number, o: WriteOptions): Insertable<IdentityTable>[] {
  return c.unionIds.map((unionId) => ({
    customer_id: id,
    platform: o.unionIdsOn.platform,
    workspace: o.unionIdsOn.workspace,
    external_id: `unionid:${unionId}`,
    display_name: c.values.name,
    username: null,
    phone: null,
    union_id: unionId,
    profile: null,
    created_at: o.now,
    updated_at: o.now,
  }));
}

async function insertUnionIdentities(db: Kysely<Database>, rows: Insertable<IdentityTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('identities')
    .values(rows)
    .onConflict((oc) => oc.columns(['platform', 'workspace', 'external_id']).doNothing())
    .execute();
}
