import type { CoreDeps } from '../kernel/runtime.ts';
import type { ReachabilityEvent } from '../ports/events.ts';

/**
 * A person blocked the bot (or unblocked it): their identity on that platform is marked unreachable since then (or
 * reachable again), so replies and campaigns stop trying that channel. Someone never seen has no identity to mark.
 * Idempotent, and an older notice never undoes a newer one: a block keeps its first time, an unblock clears only a
 * block from before it.
 */
export async function recordReachability(deps: CoreDeps, ev: ReachabilityEvent): Promise<void> {
  const now = deps.clock.now();
  const identity = deps.db
    .updateTable('identities')
    .where('platform', '=', ev.platform)
    .where('workspace', '=', ev.person.workspace)
    .where('external_id', '=', ev.person.externalId);
  if (ev.reachable)
    await identity
      .set({ unreachable_at: null, updated_at: now })
      .where('unreachable_at', '<=', ev.occurredAt)
      .execute();
  else
    await identity
      .set({ unreachable_at: ev.occurredAt, updated_at: now })
      .where('unreachable_at', 'is', null)
      .execute();
}
