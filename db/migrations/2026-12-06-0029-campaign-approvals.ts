import type { AnyDb } from './helpers.ts';

/**
 * Approvals of campaigns set up in the console: one row per campaign (pending, approved or rejected), with its author,
 * the time to send at once approved, the decider and the reason of a rejection. Keys make submit and decide repeatable.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('campaign_approvals')
    .addColumn('campaign_id', 'bigint', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('author_staff_id', 'bigint')
    .addColumn('send_at', 'bigint')
    .addColumn('submit_key', 'text', (c) => c.notNull().unique())
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by_staff_id', 'bigint')
    .addColumn('decided_at', 'bigint')
    .addColumn('decide_key', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('campaign_approvals_status')
    .on('campaign_approvals')
    .columns(['status'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('campaign_approvals').execute();
}
