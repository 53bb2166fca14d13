import type { AnyDb } from './helpers.ts';

/**
 * Replies to customers: a send written by a staff member records them as its author (the timeline and the reply SLA
 * count it as a person's answer), and a staff member answering a relayed message with the platform's reply finds
 * the relay by the platform's id of it in that staff chat.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('author_staff_id', 'integer').execute();
  await db.schema
    .createIndex('outbox_target_message')
    .on('outbox')
    .columns(['platform', 'platform_message_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('outbox_target_message').execute();
  await db.schema.alterTable('outbox').dropColumn('author_staff_id').execute();
}
