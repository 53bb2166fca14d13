import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { Database, Role } from '../../../../db/schema.ts';

/** The staff member asking, as far as data scopes care. */
export interface Viewer {
  staffId: number;
  role: Role;
  teamId: number | null;
}

/** Reps see phones and emails masked; managers and above may see them whole (and each such read is audited). */
export const mayUnmask = (viewer: Viewer): boolean => viewer.role !== 'rep';

/** The viewer a staff member is, for scopes and masking. */
export const viewerOf = (staff: { id: number; role: Role; team_id: number | null }): Viewer => ({
  staffId: staff.id,
  role: staff.role,
  teamId: staff.team_id,
});

/** A WHERE condition on `customers` (a data scope). */
export type CustomerCondition = (eb: ExpressionBuilder<Database, 'customers'>) => Expression<SqlBool>;

/**
 * Which customers a viewer may see, as a WHERE condition on `customers` (null: no restriction).
 * - admin, director: everyone;
 * - manager: customers owned by anyone in their team's subtree, and the unowned pool (公海);
 * - rep: their own customers and the unowned pool.
 */
export function customerScope(db: Kysely<Database>, viewer: Viewer): CustomerCondition | null {
  if (viewer.role === 'admin' || viewer.role === 'director') return null;
  if (viewer.role === 'manager' && viewer.teamId !== null) {
    const teamId = viewer.teamId;
    const teamStaff = subtreeQuery(db, teamId)
      .selectFrom('staff')
      .select('staff.id')
      .where('staff.team_id', 'in', (qc) => qc.selectFrom('subtree').select('subtree.id'));
    return (eb) =>
      eb.or([
        eb('customers.owner_staff_id', 'is', null),
        eb('customers.owner_staff_id', '=', viewer.staffId),
        eb('customers.owner_staff_id', 'in', teamStaff),
      ]);
  }
  return (eb) => eb.or(ownOrUnowned(viewer).map((part) => part(eb)));
}

/**
 * A rep's scope as its two parts, their own customers and the unowned pool: a search can walk each in index order
 * (owner, recency) instead of walking everyone and dropping what is outside.
 */
export function ownOrUnowned(viewer: Viewer): [CustomerCondition, CustomerCondition] {
  return [
    (eb) => eb('customers.owner_staff_id', '=', viewer.staffId),
    (eb) => eb('customers.owner_staff_id', 'is', null),
  ];
}

/** Whether the viewer may see (and so act on) one customer. */
export async function canSeeCustomer(
  db: Kysely<Database>,
  viewer: Viewer,
  customerId: number,
): Promise<boolean> {
  const scope = customerScope(db, viewer);
  let q = db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .where('merged_into_id', 'is', null);
  if (scope) q = q.where(scope);
  return (await q.executeTakeFirst()) !== undefined;
}

/** A query with `subtree(id)`: the team and every team under it, to select from. */
export function subtreeQuery(db: Kysely<Database>, teamId: number) {
  return db.withRecursive('subtree(id)', (qc) =>
    qc
      .selectFrom('teams')
      .select('id')
      .where('id', '=', teamId)
      .unionAll(
        qc.selectFrom('teams').innerJoin('subtree', 'subtree.id', 'teams.parent_id').select('teams.id'),
      ),
  );
}
