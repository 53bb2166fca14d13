import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../../db/schema.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { addTag, removeTag } from './tags.ts';

/**
 * Takes in the tags staff set on the platform (WeCom corp tags on the customer). New ones are added as manual tags
 * from that platform; a tag that had reached the platform and is gone from it now was removed there, so it goes.
 * Tags still on their way to the platform are left alone.
 */
export async function applyPlatformTags(
  db: Kysely<Database>,
  customerId: number,
  platform: Platform,
  onPlatform: ReadonlySet<string>,
  now: number,
): Promise<{ added: string[]; removed: string[] }> {
  const current = await db
    .selectFrom('customer_tags')
    .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
    .select(['tags.name', 'customer_tags.mirrored_at'])
    .where('customer_tags.customer_id', '=', customerId)
    .execute();
  const have = new Set(current.map((t) => t.name));
  const added: string[] = [];
  for (const name of onPlatform) {
    if (have.has(name)) continue;
    await addTag(db, { customerId, name, source: 'manual', sourceRef: platform }, now, true);
    added.push(name);
  }
  const removed: string[] = [];
  for (const t of current) {
    if (t.mirrored_at === null || onPlatform.has(t.name)) continue;
    await removeTag(db, customerId, t.name);
    removed.push(t.name);
  }
  return { added, removed };
}

/** Notes that a mirroring action reached the platform, so a later absence there means a removal there. */
export async function recordTagsMirrored(
  db: Kysely<Database>,
  customerId: number,
  names: string[],
  now: number,
): Promise<void> {
  if (names.length === 0) return;
  const tags = db.selectFrom('tags').select('id').where('name', 'in', names);
  await db
    .updateTable('customer_tags')
    .set({ mirrored_at: now })
    .where('customer_id', '=', customerId)
    .where('tag_id', 'in', tags)
    .execute();
}

/** Refreshes the local copy of the platform's tag catalogue; tags gone from it are kept, marked deleted. */
export async function refreshTagCatalog(
  deps: CoreDeps,
  platform: Platform,
  workspace: string,
): Promise<void> {
  const directory = deps.adapters.get(platform)?.contacts;
  if (!directory) return;
  const tags = await directory.listTags();
  const now = deps.clock.now();
  for (const t of tags) {
    const values = {
      name: t.name,
      group_id: t.groupId ?? null,
      group_name: t.groupName ?? null,
      deleted_at: null,
      updated_at: now,
    };
    await deps.db
      .insertInto('platform_tags')
      .values({ platform, workspace, external_id: t.id, ...values })
      .onConflict((oc) => oc.columns(['platform', 'workspace', 'external_id']).doUpdateSet(values))
      .execute();
  }
  const live = tags.map((t) => t.id);
  let gone = deps.db
    .updateTable('platform_tags')
    .set({ deleted_at: now, updated_at: now })
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('deleted_at', 'is', null);
  if (live.length > 0) gone = gone.where('external_id', 'not in', live);
  await gone.execute();
}
