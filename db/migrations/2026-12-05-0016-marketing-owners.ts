import { sql } from 'kysely';
import type { AnyDb } from './helpers.ts';

const OWNED = ['segments', 'campaigns', 'sops', 'channel_codes'] as const;

/**
 * Marketing objects get an owner team (the creator's team when a manager made them; null: the organisation's), and
 * SOPs and digest subscriptions a reason they were stopped (their owner left or lost the role). Existing rows take
 * their creator's team as it is now.
 */
export async function up(db: AnyDb): Promise<void> {
  for (const table of OWNED) {
    await db.schema.alterTable(table).addColumn('owner_team_id', 'integer').execute();
    await sql`update ${sql.table(table)} set owner_team_id = (select s.team_id from staff s where s.id = ${sql.ref(`${table}.created_by_staff_id`)} and s.role = 'manager')`.execute(
      db,
    );
  }
  await db.schema.alterTable('digest_subscriptions').addColumn('owner_team_id', 'integer').execute();
  await sql`update digest_subscriptions set owner_team_id = scope_team_id`.execute(db);
  await db.schema.alterTable('sops').addColumn('stop_reason', 'text').execute();
  await db.schema.alterTable('digest_subscriptions').addColumn('stop_reason', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [...OWNED, 'digest_subscriptions'])
    await db.schema.alterTable(table).dropColumn('owner_team_id').execute();
  await db.schema.alterTable('sops').dropColumn('stop_reason').execute();
  await db.schema.alterTable('digest_subscriptions').dropColumn('stop_reason').execute();
}
