import { type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import { teamSubtree } from '../../kernel/permissions/staff-scope.ts';

/**
 * Whose customers a digest or report covers: one rep's (`ownerId`), a team's and its sub-teams' staff's, or the
 * whole organisation (`teamId: null`, for directors and admins).
 */
export interface DigestScope {
  teamId: number | null;
  ownerId?: number;
}

/**
 * A WHERE condition on `customers` for a scope. A team's staff are found by a subquery, so a big team stays within
 * D1's parameter limit.
 */
export async function customersIn(db: Kysely<Database>, scope: DigestScope) {
  if (scope.ownerId !== undefined) {
    const owner = scope.ownerId;
    return (eb: ExpressionBuilder<Database, 'customers'>) => eb('customers.owner_staff_id', '=', owner);
  }
  if (scope.teamId === null) return (_: ExpressionBuilder<Database, 'customers'>) => sql<SqlBool>`1 = 1`;
  const teams = await teamSubtree(db, scope.teamId);
  return (eb: ExpressionBuilder<Database, 'customers'>) =>
    eb(
      'customers.owner_staff_id',
      'in',
      eb.selectFrom('staff').select('staff.id').where('staff.team_id', 'in', teams),
    );
}

/**
 * The digest scope a staff member reads: directors and admins the organisation, a manager their team and the teams
 * under it, anyone else (a manager without a team) only their own customers — never the whole organisation.
 */
export function digestScopeOf(viewer: Viewer): DigestScope {
  if (viewer.role === 'admin' || viewer.role === 'director') return { teamId: null };
  if (viewer.role === 'manager' && viewer.teamId !== null) return { teamId: viewer.teamId };
  return { teamId: null, ownerId: viewer.staffId };
}
