import type { Insertable, Kysely } from 'kysely';
import { preparedQuery } from '../../../../db/prepared.ts';
import type { Database, TagSource } from '../../../../db/schema.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundAction } from '../../ports/outbound.ts';

export interface TagChange {
  customerId: number;
  name: string;
  source: TagSource;
  /** Rule id, model, or the platform a tag came from; null for a tag set in Liaison by hand. */
  sourceRef?: string | null;
  confidence?: number | null;
  messageId?: number | null;
  actorStaffId?: number | null;
}

/**
 * Tag ids by name, per database (its transactions share the map, through the dialect adapter they share): a tag is
 * never deleted and its id never changes once committed, so it is looked up once per process.
 */
const committedTagIds = new WeakMap<object, Map<string, number>>();
/** Tags a transaction created itself: known only within it until it commits (it may roll back). */
const createdInTransaction = new WeakMap<Kysely<Database>, Map<string, number>>();

/** The id of a tag by name, creating it on first use. */
export async function ensureTag(
  db: Kysely<Database>,
  name: string,
  now: number,
  group?: string,
): Promise<number> {
  const adapter = db.getExecutor().adapter;
  const committed = committedTagIds.get(adapter) ?? new Map<string, number>();
  const known = committed.get(name) ?? createdInTransaction.get(db)?.get(name);
  if (known !== undefined) return known;
  const created = await db
    .insertInto('tags')
    .values({ name, group_name: group ?? null, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (created && db.isTransaction) {
    const own = createdInTransaction.get(db) ?? new Map<string, number>();
    createdInTransaction.set(db, own.set(name, created.id));
    return created.id;
  }
  // Created outside a transaction, or there before it (this transaction's own would have been found above).
  const id =
    created?.id ??
    (await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  if (committed.size > 10_000) committed.clear();
  committedTagIds.set(adapter, committed.set(name, id));
  return id;
}

/**
 * Tags a customer. A manual tag replaces an automatic one of the same name (a person's word counts more); an
 * automatic tag never replaces anything. Returns whether the customer gained the tag.
 */
export async function addTag(
  db: Kysely<Database>,
  t: TagChange,
  now: number,
  mirrored = false,
): Promise<boolean> {
  const tagId = await ensureTag(db, t.name, now);
  const values = {
    source: t.source,
    source_ref: t.sourceRef ?? null,
    confidence: t.confidence ?? null,
    message_id: t.messageId ?? null,
    actor_staff_id: t.actorStaffId ?? null,
    created_at: now,
  };
  // An automatic tag only ever adds: one statement, and whatever is there (a person's tag included) stays.
  if (t.source !== 'manual') {
    return automaticTag.changed(db, {
      customerId: t.customerId,
      tagId,
      ...values,
      mirroredAt: mirrored ? now : null,
    });
  }
  const existing = await db
    .selectFrom('customer_tags')
    .select('source')
    .where('customer_id', '=', t.customerId)
    .where('tag_id', '=', tagId)
    .executeTakeFirst();
  if (existing) {
    if (existing.source !== 'manual') {
      await db
        .updateTable('customer_tags')
        .set(values)
        .where('customer_id', '=', t.customerId)
        .where('tag_id', '=', tagId)
        .execute();
    }
    return false;
  }
  await db
    .insertInto('customer_tags')
    .values({ customer_id: t.customerId, tag_id: tagId, ...values, mirrored_at: mirrored ? now : null })
    .onConflict((oc) => oc.columns(['customer_id', 'tag_id']).doNothing())
    .execute();
  return true;
}

/** A rule's or the model's tag, added unless the customer has the tag already (from anyone). */
const automaticTag = preparedQuery(
  (
    db,
    v: Omit<Insertable<Database['customer_tags']>, 'customer_id' | 'tag_id' | 'mirrored_at'> & {
      customerId: number;
      tagId: number;
      mirroredAt: number | null;
    },
  ) =>
    db
      .insertInto('customer_tags')
      .values({
        customer_id: v.customerId,
        tag_id: v.tagId,
        source: v.source,
        source_ref: v.source_ref,
        confidence: v.confidence,
        message_id: v.message_id,
        actor_staff_id: v.actor_staff_id,
        created_at: v.created_at,
        mirrored_at: v.mirroredAt,
      })
      .onConflict((oc) => oc.columns(['customer_id', 'tag_id']).doNothing()),
);

/** Where staff hold the customer as a contact: the identities a tag change is mirrored onto. */
const activeContactRelations = preparedQuery((db, v: { customerId: number }) =>
  db
    .selectFrom('contact_relations as r')
    .innerJoin('identities as i', 'i.id', 'r.identity_id')
    .select(['r.id', 'r.member_external_id', 'i.platform', 'i.workspace', 'i.external_id'])
    .where('r.customer_id', '=', v.customerId)
    .where('r.status', '=', 'active'),
);

/** Removes a tag from a customer; returns whether it was there. */
export async function removeTag(db: Kysely<Database>, customerId: number, name: string): Promise<boolean> {
  const tag = await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirst();
  if (!tag) return false;
  const result = await db
    .deleteFrom('customer_tags')
    .where('customer_id', '=', customerId)
    .where('tag_id', '=', tag.id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Platform actions that mirror a tag change made in Liaison onto every platform where a staff member holds the
 * customer as a contact (WeCom corp tags through `mark_tag`), so reps see the tags in their own client.
 */
export async function mirrorTagChange(
  deps: CoreDeps,
  customerId: number,
  change: { add: string[]; remove: string[] },
  idempotencyKey: string,
): Promise<OutboundAction[]> {
  // No configured platform acts on contacts: nothing to mirror, nothing to look up.
  if (![...deps.adapters.values()].some((adapter) => adapter.perform)) return [];
  const relations = await activeContactRelations.all(deps.db, { customerId });
  return relations.flatMap((r) => {
    const adapter = deps.adapters.get(r.platform);
    if (!adapter?.perform) return [];
    return [
      {
        platform: r.platform,
        workspace: adapter.workspace,
        idempotencyKey: `${idempotencyKey}:mirror:${r.id}`,
        action: {
          type: 'sync_tags' as const,
          customerExternalId: r.external_id,
          memberId: r.member_external_id,
          add: change.add,
          remove: change.remove,
        },
      },
    ];
  });
}
