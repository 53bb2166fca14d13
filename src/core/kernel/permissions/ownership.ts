import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { Viewer } from './scope.ts';
import { teamSubtree } from './staff-scope.ts';

/** Tables of marketing objects, each with an owner team and a creator. */
export type OwnedTable = 'segments' | 'campaigns' | 'sops' | 'channel_codes';

/** Who owns a marketing object: its team (null: the organisation) and who made it. */
export interface Owned {
  owner_team_id: number | null;
  created_by_staff_id: number | null;
}

/**
 * Which marketing objects a viewer reaches, by the rules customers follow: directors and admins everything; a
 * manager the objects of their team and the teams under it, and their own; anyone else (a rep, a manager without a
 * team) their own, and may read those of their team. `null` viewer: unrestricted.
 */
export interface OwnerReach {
  all: boolean;
  staffId: number | null;
  /** Teams whose objects the viewer may change. */
  changeTeams: number[];
  /** Teams whose objects the viewer may read. */
  readTeams: number[];
  /** Whether the viewer may change marketing objects at all (managers and above). */
  marketer: boolean;
}

export async function ownerReach(db: Kysely<Database>, viewer: Viewer | null): Promise<OwnerReach> {
  if (viewer === null || viewer.role === 'admin' || viewer.role === 'director')
    return { all: true, staffId: viewer?.staffId ?? null, changeTeams: [], readTeams: [], marketer: true };
  const subtree =
    viewer.role === 'manager' && viewer.teamId !== null ? await teamSubtree(db, viewer.teamId) : [];
  const own = viewer.teamId === null ? [] : [viewer.teamId];
  return {
    all: false,
    staffId: viewer.staffId,
    changeTeams: subtree,
    readTeams: [...new Set([...subtree, ...own])],
    marketer: viewer.role === 'manager',
  };
}

/** Whether the object is the viewer's to change (pause, edit, schedule, deactivate…). */
export function mayChangeOwned(reach: OwnerReach, o: Owned): boolean {
  if (!reach.marketer) return false;
  if (reach.all) return true;
  if (o.created_by_staff_id !== null && o.created_by_staff_id === reach.staffId) return true;
  return o.owner_team_id !== null && reach.changeTeams.includes(o.owner_team_id);
}

/** Whether the viewer may read the object (what they may change, and their own team's). */
export function maySeeOwned(reach: OwnerReach, o: Owned): boolean {
  if (reach.all || mayChangeOwned(reach, o)) return true;
  if (o.created_by_staff_id !== null && o.created_by_staff_id === reach.staffId) return true;
  return o.owner_team_id !== null && reach.readTeams.includes(o.owner_team_id);
}

/** The readable objects of a table as a WHERE condition (null: no restriction). */
export function ownedCondition<T extends OwnedTable>(
  reach: OwnerReach,
  table: T,
): ((eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>) | null {
  if (reach.all) return null;
  // Column names are the same in every owned table; the casts only name them for Kysely's typing.
  const owner = `${table}.owner_team_id` as 'segments.owner_team_id';
  const creator = `${table}.created_by_staff_id` as 'segments.created_by_staff_id';
  return (eb) => {
    const e = eb as unknown as ExpressionBuilder<Database, 'segments'>;
    const teams = reach.readTeams.length > 0 ? reach.readTeams : [-1];
    const mine = [e(owner, 'in', teams), e(creator, '=', reach.staffId ?? -1)];
    if (!reach.marketer) return e.or(mine);
    // The organisation's objects (made by the API's admin token, a director or an admin) are read by every manager.
    const org = e.and([
      e(owner, 'is', null),
      e.or([
        e(creator, 'is', null),
        e(
          creator,
          'in',
          e.selectFrom('staff').select('staff.id').where('staff.role', 'in', ['director', 'admin']),
        ),
      ]),
    ]);
    return e.or([...mine, org]);
  };
}

/** The team a new object created by this viewer belongs to: a manager's team; null (the organisation's) otherwise. */
export const ownerTeamFor = (viewer: Viewer | null): number | null =>
  viewer && viewer.role === 'manager' ? viewer.teamId : null;

/**
 * The creator of a marketing object as they are now, whose scope its audience is read in at every dispatch and
 * enrolment: null for the organisation's objects (no creator), 'gone' when they left or are no longer a manager or
 * above (the object then stops).
 */
export async function ownerNow(
  db: Kysely<Database>,
  staffId: number | null,
): Promise<Viewer | null | 'gone'> {
  if (staffId === null) return null;
  const s = await db
    .selectFrom('staff')
    .select(['id', 'role', 'team_id', 'active'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (s?.active !== 1 || s.role === 'rep') return 'gone';
  return { staffId: s.id, role: s.role, teamId: s.team_id };
}

/** Whether the viewer may read the object, the organisation's objects included (their creator's role is read now). */
export async function maySeeOwnedNow(db: Kysely<Database>, reach: OwnerReach, o: Owned): Promise<boolean> {
  if (maySeeOwned(reach, o)) return true;
  if (!reach.marketer || o.owner_team_id !== null) return false;
  if (o.created_by_staff_id === null) return true;
  const creator = await db
    .selectFrom('staff')
    .select('role')
    .where('id', '=', o.created_by_staff_id)
    .executeTakeFirst();
  return creator?.role === 'director' || creator?.role === 'admin';
}
