import type { Kysely } from 'kysely';
import { type Database, PLATFORMS, type Platform } from '../../../../db/schema.ts';
import type { Actor } from './actor.ts';
import { customerScope } from './scope.ts';

declare const checked: unique symbol;

/**
 * A customer an actor may see and change, as `reachCustomer` found it. Every core write on a customer takes one
 * instead of a bare id, so no front end can write to a customer without the scope check having run for that actor.
 */
export interface ReachedCustomer {
  readonly id: number;
  readonly actor: Actor;
  readonly [checked]: true;
}

/**
 * The customer, when the actor's data scope holds it and it was not merged away (`mergedAway`: a merged-away record
 * too, for a retried merge); null otherwise, which callers answer as "no such customer".
 */
export async function reachCustomer(
  db: Kysely<Database>,
  actor: Actor,
  customerId: number,
  { mergedAway = false } = {},
): Promise<ReachedCustomer | null> {
  if (!Number.isSafeInteger(customerId)) return null;
  let q = db.selectFrom('customers').select('id').where('id', '=', customerId);
  if (!mergedAway) q = q.where('merged_into_id', 'is', null);
  const scope = actor.viewer ? customerScope(db, actor.viewer) : null;
  if (scope) q = q.where(scope);
  return (await q.executeTakeFirst()) ? ({ id: customerId, actor } as ReachedCustomer) : null;
}

/** The chat platform an actor's request came through (for timeline events), if it came through one. */
export const platformOf = (actor: Actor): Platform | undefined =>
  (PLATFORMS as readonly string[]).includes(actor.via) ? (actor.via as Platform) : undefined;
