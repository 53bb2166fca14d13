import type { AnyDb } from './helpers.ts';

/**
 * A message from a customer has no staff author, a chat contact has no phone, a Telegram account no unionid, and a
 * system action no acting staff member: most rows written on the inbox's path leave these columns empty, yet each
 * index on them was written for every row. Every query that reads them compares the column (`=`, `in`), which both
 * databases know excludes empty ones, so the index holds only rows where the column is set.
 */
const PARTIAL = [
  { name: 'messages_author_time', table: 'messages', columns: ['author_staff_id', 'sent_at'] },
  { name: 'identities_union', table: 'identities', columns: ['platform', 'union_id'], set: 'union_id' },
  { name: 'customers_phone', table: 'customers', columns: ['phone'] },
  { name: 'audit_log_actor_time', table: 'audit_log', columns: ['actor_staff_id', 'at', 'id'] },
] as const;

export async function up(db: AnyDb): Promise<void> {
  for (const index of PARTIAL) {
    await db.schema.dropIndex(index.name).execute();
    const set = 'set' in index ? index.set : index.columns[0];
    await db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns])
      .where(set, 'is not', null)
      .execute();
  }
}

export async function down(db: AnyDb): Promise<void> {
  for (const index of PARTIAL) {
    await db.schema.dropIndex(index.name).execute();
    await db.schema
      .createIndex(index.name)
      .on(index.table)
      .columns([...index.columns])
      .execute();
  }
}
