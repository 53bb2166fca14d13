import type { Kysely } from 'kysely';
import type { Database, Platform, Role } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { listStaffMembers } from './listing.ts';
import { type StaffRoleOutcome, setStaffRole } from './set-role.ts';
import { listTeams } from './teams.ts';

const RANK: Record<Role, number> = { rep: 0, manager: 1, director: 2, admin: 3 };

type Deps = Pick<CoreDeps, 'db' | 'adapters' | 'clock'>;

/** A staff member as the console's staff screen lists them. */
export interface DirectoryMember {
  id: number;
  name: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  active: boolean;
  /** Platforms they have an account on that Liaison is connected to now (where messages reach them). */
  reachableOn: Platform[];
  /** Whether the actor may change their role and team, and (de)activate them. */
  editable: boolean;
}

export type StaffDirectory =
  | {
      ok: true;
      members: DirectoryMember[];
      teams: Array<{ id: number; name: string; parentId: number | null }>;
      /** What the actor may do here: add teams (directors, admins), change members (directors, admins). */
      may: { addTeam: boolean; edit: boolean };
      /** Roles the actor may grant. */
      grantable: Role[];
    }
  | { ok: false; reason: 'not_allowed' };

/**
 * Directors and admins change members here; managers read their teams' members; reps are refused. A director changes
 * only members below director and grants only roles below their own, as `/staff add` (setStaffRole) rules.
 */
const mayEditStaff = (actor: Actor) =>
  actor.viewer === null || actor.viewer.role === 'admin' || actor.viewer.role === 'director';
const unrestricted = (actor: Actor) => actor.viewer === null || actor.viewer.role === 'admin';
const mayTouch = (actor: Actor, role: Role) =>
  unrestricted(actor) || (actor.viewer !== null && RANK[role] < RANK[actor.viewer.role]);

/**
 * The staff the actor may list (a manager their teams' members, directors and admins everyone), with roles, teams,
 * the platforms they are reachable on and whether they are active; the team tree; what the actor may change.
 */
export async function staffDirectory(deps: Deps, actor: Actor): Promise<StaffDirectory> {
  if (actor.viewer?.role === 'rep') return { ok: false, reason: 'not_allowed' };
  const edit = mayEditStaff(actor);
  const [staff, teams] = await Promise.all([listStaffMembers(deps.db, actor.viewer), listTeams(deps.db)]);
  const roles: Role[] = ['rep', 'manager', 'director', 'admin'];
  return {
    ok: true,
    members: staff.map((s) => ({
      id: s.id,
      name: s.name,
      role: s.role,
      teamId: s.teamId,
      teamName: s.teamName,
      active: s.active,
      reachableOn: [...new Set(s.identities.map((i) => i.platform))].filter((p) => deps.adapters.has(p)),
      editable: edit && mayTouch(actor, s.role) && s.id !== actor.staffId,
    })),
    teams: teams.map((t) => ({ id: t.id, name: t.name, parentId: t.parent_id })),
    may: { addTeam: edit, edit },
    grantable: edit ? roles.filter((r) => mayTouch(actor, r)) : [],
  };
}

export type MemberChangeOutcome =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_allowed' | 'unknown' | 'self' | 'no_team' | 'no_account' }
  | Extract<StaffRoleOutcome, { ok: false }>;

/**
 * Changes a member's role and team (directors and admins; managers read only). The rules are `/staff add`'s
 * (setStaffRole: nothing at or above one's own role, never the last admin), which also reactivates the member.
 * Unchanged values write (and audit) nothing, so a retried request is harmless.
 */
export async function changeStaffMember(
  deps: Deps,
  actor: Actor,
  staffId: number,
  change: { role: Role; teamId: number | null },
): Promise<MemberChangeOutcome> {
  if (!mayEditStaff(actor)) return { ok: false, reason: 'not_allowed' };
  if (staffId === actor.staffId) return { ok: false, reason: 'self' };
  const { db } = deps;
  const member = await db
    .selectFrom('staff')
    .select(['role', 'team_id', 'active'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!member) return { ok: false, reason: 'unknown' };
  const team =
    change.teamId === null
      ? null
      : await db.selectFrom('teams').select('name').where('id', '=', change.teamId).executeTakeFirst();
  if (team === undefined) return { ok: false, reason: 'no_team' };
  if (member.role === change.role && member.team_id === change.teamId && member.active === 1)
    return { ok: true, changed: false };
  // Through one of their accounts on a connected platform: setStaffRole finds members by account.
  const accounts = await db
    .selectFrom('staff_identities')
    .select(['platform', 'external_id'])
    .where('staff_id', '=', staffId)
    .orderBy('id')
    .execute();
  const account = accounts.find((a) => deps.adapters.has(a.platform));
  if (!account) return { ok: false, reason: 'no_account' };
  const outcome = await setStaffRole(deps, actor, {
    platform: account.platform,
    externalId: account.external_id,
    role: change.role,
    ...(team ? { teamName: team.name } : {}),
  });
  return outcome.ok ? { ok: true, changed: true } : outcome;
}

export type ActiveOutcome =
  | { ok: true; changed: boolean }
  | { ok: false; reason: 'not_allowed' | 'unknown' | 'self' | 'at_or_above' | 'last_admin' };

/**
 * Deactivates a member (they can no longer use Liaison: chats, the web app; their customers stay theirs until
 * handed over) or reactivates them. Directors and admins, never oneself, never someone at or above one's own role
 * (admins may), never the last active admin. Audited when it changed; the same request again changes nothing.
 */
export async function setStaffActive(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  actor: Actor,
  staffId: number,
  active: boolean,
): Promise<ActiveOutcome> {
  if (!mayEditStaff(actor)) return { ok: false, reason: 'not_allowed' };
  if (staffId === actor.staffId) return { ok: false, reason: 'self' };
  const { db } = deps;
  const member = await db
    .selectFrom('staff')
    .select(['role', 'active'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!member) return { ok: false, reason: 'unknown' };
  if (!mayTouch(actor, member.role)) return { ok: false, reason: 'at_or_above' };
  if ((member.active === 1) === active) return { ok: true, changed: false };
  if (!active && member.role === 'admin' && (await activeAdmins(db)) <= 1)
    return { ok: false, reason: 'last_admin' };
  const now = deps.clock.now();
  const updated = await db
    .updateTable('staff')
    .set({ active: active ? 1 : 0, updated_at: now })
    .where('id', '=', staffId)
    .where('active', '=', active ? 0 : 1)
    .executeTakeFirst();
  // Another request changed it meanwhile: nothing more to record.
  if (Number(updated.numUpdatedRows) === 0) return { ok: true, changed: false };
  await audit(db, now, {
    ...auditedAs(actor),
    action: active ? 'staff.reactivated' : 'staff.deactivated',
    subjectKind: 'staff',
    subjectId: staffId,
    detail: { role: member.role },
  });
  return { ok: true, changed: true };
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
