import type { AnyDb } from './helpers.ts';

/**
 * The console's audit log pages newest first by (at, id), filtered by who acted or which record it is about: an index
 * for each, so a staff member's or a customer's entries are found without reading the whole log.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('audit_log_actor_time')
    .on('audit_log')
    .columns(['actor_staff_id', 'at', 'id'])
    .execute();
  await db.schema
    .createIndex('audit_log_subject_time')
    .on('audit_log')
    .columns(['subject_kind', 'subject_id', 'at', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('audit_log_subject_time').execute();
  await db.schema.dropIndex('audit_log_actor_time').execute();
}
