import type { Kysely } from 'kysely';
import type { Database, Role } from '../../db/schema.ts';

/** An active staff member written straight to the database (tests of queries that need owners); returns the id. */
export async function insertStaff(
  db: Kysely<Database>,
  name: string,
  o: { role?: Role; teamId?: number | null; at?: number } = {},
): Promise<number> {
  const at = o.at ?? 1;
  const row = await db
    .insertInto('staff')
    .values({
      display_name: name,
      role: o.role ?? 'rep',
      team_id: o.teamId ?? null,
      language: 'zh',
      active: 1,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
