import type { Actor } from '../../kernel/permissions/actor.ts';
import { reachCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type ApplyOutcome, applyMerge } from './apply.ts';

/**
 * Merges `mergedId` into `survivorId` for a staff member (chat, panel): both must be in the actor's scope, reps and
 * managers alike; a customer out of scope reads as unknown. `key` makes a retried request merge once.
 */
export async function mergeCustomersAs(
  deps: CoreDeps,
  actor: Actor,
  survivorId: number,
  mergedId: number,
  key: string,
): Promise<ApplyOutcome> {
  const [kept, gone] = await Promise.all([
    reachCustomer(deps.db, actor, survivorId),
    reachCustomer(deps.db, actor, mergedId),
  ]);
  if (!kept || !gone) return { kind: 'unknown' };
  return applyMerge(deps, kept, gone, key);
}
