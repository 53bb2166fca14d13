import type { Kysely } from 'kysely';
import type { Database, Platform, Role } from '../../../../db/schema.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import { managedStaffIds } from '../../kernel/permissions/staff-scope.ts';

/** A staff member as lists show them: role, team and every platform account. */
export interface StaffListing {
  id: number;
  name: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  active: boolean;
  identities: Array<{ platform: Platform; externalId: string }>;
}

/**
 * The staff a viewer may list: a manager those they manage, a director or admin everyone; `viewer` null (an admin
 * token, the command line) everyone. Oldest first; `activeOnly` leaves out those who left.
 */
export async function listStaffMembers(
  db: Kysely<Database>,
  viewer: Viewer | null,
  { activeOnly = false } = {},
): Promise<StaffListing[]> {
  const allowed = viewer ? await managedStaffIds(db, viewer) : null;
  let q = db
    .selectFrom('staff')
    .leftJoin('teams', 'teams.id', 'staff.team_id')
    .select([
      'staff.id',
      'staff.display_name',
      'staff.role',
      'staff.team_id',
      'staff.active',
      'teams.name as team_name',
    ])
    .orderBy('staff.id');
  if (allowed) q = q.where('staff.id', 'in', allowed.length > 0 ? allowed : [-1]);
  if (activeOnly) q = q.where('staff.active', '=', 1);
  const staff = await q.execute();
  if (staff.length === 0) return [];
  const identities = await db
    .selectFrom('staff_identities')
    .select(['staff_id', 'platform', 'external_id'])
    .orderBy('id')
    .execute();
  return staff.map((s) => ({
    id: s.id,
    name: s.display_name,
    role: s.role,
    teamId: s.team_id,
    teamName: s.team_name,
    active: s.active === 1,
    identities: identities
      .filter((i) => i.staff_id === s.id)
      .map((i) => ({ platform: i.platform, externalId: i.external_id })),
  }));
}

/** An active staff member with an account in one platform workspace, as that platform's people know them. */
export interface StaffOnPlatform {
  /** Their id on the platform. */
  id: string;
  name: string;
  role: Role;
  team: string | null;
  /** Their team is top-level (no parent): its managers hear about new, unowned customers. */
  topLevelTeam: boolean;
}

/** Active staff with an account in this platform workspace, oldest first. */
export async function listStaffOnPlatform(
  db: Kysely<Database>,
  platform: Platform,
  workspace: string,
): Promise<StaffOnPlatform[]> {
  const rows = await db
    .selectFrom('staff_identities as si')
    .innerJoin('staff', 'staff.id', 'si.staff_id')
    .leftJoin('teams', 'teams.id', 'staff.team_id')
    .select(['si.external_id as id', 'staff.display_name as name', 'staff.role', 'teams.name as team'])
    .select('teams.parent_id as parentTeam')
    .where('si.platform', '=', platform)
    .where('si.workspace', '=', workspace)
    .where('staff.active', '=', 1)
    .orderBy('staff.id')
    .execute();
  return rows.map(({ parentTeam, ...s }) => ({ ...s, topLevelTeam: s.team !== null && parentTeam === null }));
}
