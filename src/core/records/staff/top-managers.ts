import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { sharedRead } from '../../kernel/shared-reads.ts';

/** The active managers of top-level teams (the sales org's heads), by id: who hears about unowned customers. */
export function topManagers(db: Kysely<Database>): Promise<Array<{ id: number }>> {
  return sharedRead(db, 'top-managers', () =>
    db
      .selectFrom('staff')
      .innerJoin('teams', 'teams.id', 'staff.team_id')
      .select('staff.id')
      .where('staff.active', '=', 1)
      .where('staff.role', '=', 'manager')
      .where('teams.parent_id', 'is', null)
      .orderBy('staff.id')
      .execute(),
  );
}

/** The active admins, by id: who hears about unowned customers when no team has a manager. */
export function activeAdmins(db: Kysely<Database>): Promise<Array<{ id: number }>> {
  return sharedRead(db, 'active-admins', () =>
    db
      .selectFrom('staff')
      .select('staff.id')
      .where('staff.active', '=', 1)
      .where('staff.role', '=', 'admin')
      .orderBy('staff.id')
      .execute(),
  );
}
