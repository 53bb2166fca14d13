import type { Kysely } from 'kysely';
import type { Database, Platform, Role } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { managedStaffIds, teamSubtree } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { createStaff, staffIdOf } from './registry.ts';

const RANK: Record<Role, number> = { rep: 0, manager: 1, director: 2, admin: 3 };

/** A staff member to add, or whose role and team to change. */
export interface StaffRoleChange {
  platform: Platform;
  externalId: string;
  role: Role;
  /** A team's name; absent: a manager's own team, nobody else's. */
  teamName?: string;
  /** Sets the display name (the command line names people; chat learns names from the platform). */
  displayName?: string;
}

export type StaffRoleOutcome =
  | { ok: true; staffId: number; created: boolean }
  | {
      ok: false;
      reason:
        | 'not_allowed'
        | 'platform_off'
        | 'no_team'
        | 'role_or_team_refused'
        | 'outside_scope'
        | 'at_or_above'
        | 'last_admin'
        | 'race';
    };

/**
 * Adds a staff member or changes their role and team. Nobody grants a role at or above their own, nor changes the
 * role of someone whose current role is at or above their own (admins may); a manager works only within their
 * subtree; the last active admin is never demoted. Audited.
 */
export async function setStaffRole(
  deps: Pick<CoreDeps, 'db' | 'adapters' | 'clock'>,
  actor: Actor,
  change: StaffRoleChange,
): Promise<StaffRoleOutcome> {
  const { db } = deps;
  const viewer = actor.viewer;
  if (viewer?.role === 'rep') return { ok: false, reason: 'not_allowed' };
  const adapter = deps.adapters.get(change.platform);
  if (!adapter) return { ok: false, reason: 'platform_off' };
  const team = change.teamName
    ? await db.selectFrom('teams').select('id').where('name', '=', change.teamName).executeTakeFirst()
    : undefined;
  if (change.teamName && !team) return { ok: false, reason: 'no_team' };
  const unrestricted = viewer === null || viewer.role === 'admin';
  const allowedTeams =
    viewer?.role === 'manager' && viewer.teamId !== null ? await teamSubtree(db, viewer.teamId) : null;
  const teamId = team?.id ?? (viewer?.role === 'manager' ? viewer.teamId : null);
  if (
    (!unrestricted && RANK[change.role] >= RANK[viewer.role]) ||
    (viewer?.role === 'manager' && (teamId === null || !allowedTeams?.includes(teamId)))
  )
    return { ok: false, reason: 'role_or_team_refused' };
  const key = {
    platform: change.platform,
    workspace: adapter.peopleWorkspace,
    externalId: change.externalId,
  };
  const now = deps.clock.now();
  const existing = await staffIdOf(db, key);
  let staffId = existing;
  if (staffId !== null) {
    const target = await db
      .selectFrom('staff')
      .select(['role', 'active'])
      .where('id', '=', staffId)
      .executeTakeFirstOrThrow();
    if (!unrestricted) {
      const managed = await managedStaffIds(db, viewer);
      if (managed && !managed.includes(staffId)) return { ok: false, reason: 'outside_scope' };
      if (RANK[target.role] >= RANK[viewer.role]) return { ok: false, reason: 'at_or_above' };
    }
    if (target.role === 'admin' && target.active === 1 && change.role !== 'admin') {
      if ((await activeAdmins(db)) <= 1) return { ok: false, reason: 'last_admin' };
    }
    await db
      .updateTable('staff')
      .set({
        role: change.role,
        team_id: teamId,
        active: 1,
        updated_at: now,
        ...(change.displayName ? { display_name: change.displayName } : {}),
      })
      .where('id', '=', staffId)
      .execute();
  } else {
    staffId = await createStaff(
      db,
      key,
      { displayName: change.displayName ?? `${change.platform}:${change.externalId}` },
      change.role,
      now,
    );
    if (staffId === null) return { ok: false, reason: 'race' };
    await db.updateTable('staff').set({ team_id: teamId }).where('id', '=', staffId).execute();
  }
  await audit(db, now, {
    ...auditedAs(actor),
    action: existing !== null ? 'staff.updated' : 'staff.added',
    subjectKind: 'staff',
    subjectId: staffId,
    detail: {
      platform: change.platform,
      externalId: change.externalId,
      role: change.role,
      team: change.teamName ?? null,
    },
  });
  return { ok: true, staffId, created: existing === null };
}

async function activeAdmins(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('staff')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
