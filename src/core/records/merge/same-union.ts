import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../../db/schema.ts';
import { type Actor, systemActor } from '../../kernel/permissions/actor.ts';
import { reachCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { PersonRef } from '../../ports/events.ts';
import { type NewCustomerDefaults, type ResolvedCustomer, resolveCustomer } from '../customers/resolve.ts';
import { applyMerge } from './apply.ts';

/**
 * The customer behind a platform account, as `resolveCustomer` finds or creates it, with an exact unionid match
 * linked: when this account's unionid is already carried by another customer's identity on the platform (the
 * unionid became known after both records existed, e.g. a WeCom profile fetch failed the first time), the two
 * records are merged — the older one kept — like a person's merge: audited, on the timeline, undone by `/unmerge`.
 * A pair a person has un-merged is never merged again automatically.
 */
export async function resolveLinkedCustomer(
  deps: CoreDeps,
  platform: Platform,
  person: PersonRef,
  now: number,
  defaults: NewCustomerDefaults,
): Promise<ResolvedCustomer> {
  const resolved = await resolveCustomer(deps.db, platform, person, now, defaults);
  if (resolved.sameUnionAs === undefined) return resolved;
  const customerId = await linkSameUnion(deps, resolved.customerId, resolved.sameUnionAs, platform);
  return { customerId, identityId: resolved.identityId, created: false };
}

/** Merges the newer of two records of one unionid into the older; returns the record the person is now on. */
async function linkSameUnion(deps: CoreDeps, x: number, y: number, platform: Platform): Promise<number> {
  const [survivor, merged] = x < y ? [x, y] : [y, x];
  if (await unmergedBefore(deps.db, survivor, merged)) return x;
  // Liaison itself links them, on an event from the platform: it reaches every customer.
  const actor: Actor = { ...systemActor, via: platform };
  const [s, m] = [await reachCustomer(deps.db, actor, survivor), await reachCustomer(deps.db, actor, merged)];
  const outcome =
    s && m ? await applyMerge(deps, s, m, `unionid:${survivor}:${merged}`) : { kind: 'unknown' as const };
  switch (outcome.kind) {
    case 'merged':
    case 'already':
      return outcome.survivorId;
    case 'busy':
      // Another merge of either record is under way: the inbox retries this event after it.
      throw new Error('a merge of these customers is under way');
    default:
      return x;
  }
}

/** Whether a person has undone a merge of these two (they said the records are two people). */
async function unmergedBefore(db: Kysely<Database>, a: number, b: number): Promise<boolean> {
  const row = await db
    .selectFrom('customer_merges')
    .select('id')
    .where('status', '=', 'undone')
    .where('survivor_id', 'in', [a, b])
    .where('merged_id', 'in', [a, b])
    .executeTakeFirst();
  return row !== undefined;
}
