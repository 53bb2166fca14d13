import type { Kysely } from 'kysely';
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

/** Tag ids by name, per database: a tag's id never changes once created, so it is looked up once per process. */
const tagIds = new WeakMap<Kysely<Database>, Map<string, number>>();

/** The id of a tag by name, creating it on first use. */
export async function ensureTag(
  db: Kysely<Database>,
  name: string,
  now: number,
  group?: string,
): Promise<number> {
  const known = tagIds.get(db)?.get(name);
  if (known !== undefined) return known;
  await db
    .insertInto('tags')
    .values({ name, group_name: group ?? null, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const id = (await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  const cache = tagIds.get(db) ?? new Map<string, number>();
  if (cache.size > 10_000) cache.clear();
  tagIds.set(db, cache.set(name, id));
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
    const inserted = await db
      .insertInto('customer_tags')
      .values({ customer_id: t.customerId, tag_id: tagId, ...values, mirrored_at: mirrored ? now : null })
      .onConflict((oc) => oc.columns(['customer_id', 'tag_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
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
  const relations = await deps.db
    .selectFrom('contact_relations as r')
    .innerJoin('identities as i', 'i.id', 'r.identity_id')
    .select(['r.id', 'r.member_external_id', 'i.platform', 'i.workspace', 'i.external_id'])
    .where('r.customer_id', '=', customerId)
    .where('r.status', '=', 'active')
    .execute();
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
