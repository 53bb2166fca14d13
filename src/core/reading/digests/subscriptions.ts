import type { DigestSubscriptionTable, Platform } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs, mayMarket } from '../../kernel/permissions/actor.ts';
import { mayChangeOwned, ownerReach } from '../../kernel/permissions/ownership.ts';
import { teamSubtree } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';

/** Where a digest goes: a chat the bot is in, or a robot webhook (its URL checked by the adapter before this). */
export interface DigestTarget {
  kind: 'chat' | 'robot';
  ref: string;
  /** A robot's signing secret; stored, never shown or logged. */
  secret?: string | null;
}

export interface DigestSubscriptionRequest {
  kind: 'daily' | 'weekly';
  platform: Platform;
  workspace: string;
  target: DigestTarget;
  /** The team the digest covers (and that owns the subscription); null: the subscriber's own scope or the organisation. */
  teamId: number | null;
  language: string;
  enabled: boolean;
  sendAt?: string | null;
  timeZone?: string | null;
}

export type SubscribeOutcome =
  | { ok: true; id: number }
  /** not_allowed: a rep; team_out_of_reach: a team the actor does not manage; not_yours: the target's subscription is another team's. */
  | { ok: false; reason: 'not_allowed' | 'team_out_of_reach' | 'not_yours' }
  /** The robot URL would not be posted to (off the platform's hosts, a private address, the wrong shape): why. */
  | { ok: false; reason: 'bad_robot'; detail: string };

type SubscriptionRow = Pick<DigestSubscriptionTable, 'owner_team_id' | 'subscriber_staff_id'>;

/** A subscription as an owned object: its team, and the subscriber as its maker. */
const owned = (r: SubscriptionRow) => ({
  owner_team_id: r.owner_team_id,
  created_by_staff_id: r.subscriber_staff_id,
});

/** Whether the actor may make a digest of this team: directors and admins any, a manager their subtree (or none: their own customers). */
async function reachesTeam(deps: CoreDeps, actor: Actor, teamId: number | null): Promise<boolean> {
  const v = actor.viewer;
  if (v === null || v.role === 'admin' || v.role === 'director') return true;
  if (v.role !== 'manager') return false;
  if (teamId === null) return v.teamId === null;
  return v.teamId !== null && (await teamSubtree(deps.db, v.teamId)).includes(teamId);
}

/**
 * Subscribes a chat or robot to a digest, or changes that target's subscription of the same kind (on, off, team,
 * time). Managers and above; a subscription another team owns is not the actor's to change. Idempotent by target and
 * kind; every call is audited (never the robot URL or secret).
 */
export async function subscribeDigest(
  deps: CoreDeps,
  actor: Actor,
  s: DigestSubscriptionRequest,
): Promise<SubscribeOutcome> {
  if (!mayMarket(actor)) return { ok: false, reason: 'not_allowed' };
  if (!(await reachesTeam(deps, actor, s.teamId))) return { ok: false, reason: 'team_out_of_reach' };
  if (s.target.kind === 'robot') {
    // A robot URL is fetched by the server: only the platform's own hosts, never a private address (the adapter says).
    const adapter = deps.adapters.get(s.platform);
    const refused = adapter?.checkRobot
      ? await adapter.checkRobot(s.target.ref)
      : `${s.platform} has no robots`;
    if (refused) return { ok: false, reason: 'bad_robot', detail: refused };
  }
  const { db } = deps;
  const sameTarget = db
    .selectFrom('digest_subscriptions')
    .where('platform', '=', s.platform)
    .where('workspace', '=', s.workspace)
    .where('target_kind', '=', s.target.kind)
    .where('target_ref', '=', s.target.ref)
    .where('kind', '=', s.kind);
  const existing = await sameTarget.select(['id', 'owner_team_id', 'subscriber_staff_id']).executeTakeFirst();
  if (existing && !mayChangeOwned(await ownerReach(db, actor.viewer), owned(existing)))
    return { ok: false, reason: 'not_yours' };
  const now = deps.clock.now();
  const values = {
    subscriber_staff_id: actor.staffId,
    owner_team_id: s.teamId,
    scope_team_id: s.teamId,
    stop_reason: null,
    language: s.language,
    enabled: s.enabled ? 1 : 0,
    // Absent (a chat's `/digest on`): a time set through the API stays.
    ...(s.sendAt !== undefined ? { send_at: s.sendAt } : {}),
    ...(s.timeZone !== undefined ? { time_zone: s.timeZone } : {}),
    ...(s.target.secret !== undefined ? { target_secret: s.target.secret } : {}),
    updated_at: now,
  };
  await db
    .insertInto('digest_subscriptions')
    .values({
      send_at: null,
      time_zone: null,
      ...values,
      kind: s.kind,
      platform: s.platform,
      workspace: s.workspace,
      target_kind: s.target.kind,
      target_ref: s.target.ref,
      created_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'workspace', 'target_kind', 'target_ref', 'kind']).doUpdateSet(values),
    )
    .execute();
  const row = await sameTarget.select('id').executeTakeFirstOrThrow();
  await audit(db, now, {
    ...auditedAs(actor),
    action: s.enabled ? 'digest.subscribed' : 'digest.unsubscribed',
    subjectKind: 'digest_subscription',
    subjectId: row.id,
    detail: { kind: s.kind, platform: s.platform, target: s.target.kind, teamId: s.teamId },
  });
  return { ok: true, id: row.id };
}

/** The subscriptions the actor may change (managers: their subtree's and their own; directors and admins: all). */
export async function listDigestSubscriptions(deps: CoreDeps, actor: Actor) {
  if (!mayMarket(actor)) return [];
  const reach = await ownerReach(deps.db, actor.viewer);
  const rows = await deps.db.selectFrom('digest_subscriptions').selectAll().orderBy('id').execute();
  return rows.filter((r) => mayChangeOwned(reach, owned(r)));
}
