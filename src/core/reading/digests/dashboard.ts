import type { Actor } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type DigestFacts, digestFacts } from './facts.ts';
import { type DigestScope, digestScopeOf } from './scope.ts';

const DAY = 86_400_000;

/** The periods a dashboard covers, in days back from now (the console offers 7 and 30). */
export const DASHBOARD_DAYS = { min: 1, max: 90 } as const;

/** What the console's dashboard shows: the digest's facts over the period, for the scope the actor reads. */
export type DashboardOutcome =
  | { kind: 'facts'; scope: DigestScope; facts: DigestFacts; replySlaMs: number }
  | { kind: 'refused' }
  | { kind: 'bad_period' };

/**
 * The dashboard of the console: the same facts a digest or `/report` says, over the last `days` days up to `now`,
 * for the actor's digest scope (a manager's team and the teams under it; a director's or admin's whole
 * organisation; a manager without a team only their own customers). Reps are refused: a dashboard compares the
 * team's reps. A read: nothing is audited (no contact field is shown).
 */
export async function dashboardFacts(
  deps: CoreDeps,
  actor: Actor,
  period: { days: number; now?: number },
): Promise<DashboardOutcome> {
  if (actor.viewer?.role === 'rep') return { kind: 'refused' };
  const { days } = period;
  if (!Number.isSafeInteger(days) || days < DASHBOARD_DAYS.min || days > DASHBOARD_DAYS.max)
    return { kind: 'bad_period' };
  const to = period.now ?? deps.clock.now();
  // The unrestricted (the operator, an unbound token) read the organisation, as a director does.
  const scope: DigestScope = actor.viewer === null ? { teamId: null } : digestScopeOf(actor.viewer);
  const facts = await digestFacts(deps, scope, to - days * DAY, to);
  return { kind: 'facts', scope, facts, replySlaMs: deps.org.replySlaMs };
}
