import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { subtreeQuery, type Viewer } from './scope.ts';

/** A team and every team under it. */
export async function teamSubtree(db: Kysely<Database>, teamId: number): Promise<number[]> {
  const rows = await subtreeQuery(db, teamId).selectFrom('subtree').select('id').execute();
  return rows.map((r) => Number(r.id));
}

/**
 * The staff a viewer manages (may assign customers to, hand over, list): admins and directors everyone, a manager
 * the staff of their team's subtree, a rep only themselves. null: everyone.
 */
export async function managedStaffIds(db: Kysely<Database>, viewer: Viewer): Promise<number[] | null> {
  if (viewer.role === 'admin' || viewer.role === 'director') return null;
  if (viewer.role === 'manager' && viewer.teamId !== null) {
    const teams = await teamSubtree(db, viewer.teamId);
    const staff = await db.selectFrom('staff').select('id').where('team_id', 'in', teams).execute();
    return [...new Set([viewer.staffId, ...staff.map((s) => s.id)])];
  }
  return [viewer.staffId];
}

/** Whether the viewer manages this staff member. */
export async function managesStaff(db: Kysely<Database>, viewer: Viewer, staffId: number): Promise<boolean> {
  const managed = await managedStaffIds(db, viewer);
  return managed === null || managed.includes(staffId);
}
