import type { AnyDb } from './helpers.ts';

/**
 * Alerts that are followed up later rather than sent at once: `settled_at` is when a hot lead went out in its owner's
 * batched ping, or when a do-not-contact proposal was answered (null: still to do). The index serves the timed scan
 * of hot leads waiting for their ping.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('settled_at', 'bigint').execute();
  await db.schema
    .createIndex('alerts_follow_up')
    .on('alerts')
    .columns(['cause', 'settled_at', 'staff_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('alerts_follow_up').execute();
  await db.schema.alterTable('alerts').dropColumn('settled_at').execute();
}
