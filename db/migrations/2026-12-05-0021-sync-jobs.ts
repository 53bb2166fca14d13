import { type AnyDb, withId } from './helpers.ts';

/**
 * Directory syncs (`liaison sync wecom`, `POST /api/sync/{platform}`, the nightly reconciliation): one row per run,
 * advanced a page at a time under a lease, with the platform's cursor saved after each page so a crash resumes where
 * it stopped. `sync_contacts` stages each (customer, follower) pair a run read, so a customer followed by several
 * members is applied once, with every follower, after the paging.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('sync_jobs'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('members', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('progress', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('requested_via', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('sync_jobs_status').on('sync_jobs').columns(['status', 'retry_at']).execute();
  await db.schema
    .createIndex('sync_jobs_platform')
    .on('sync_jobs')
    .columns(['platform', 'workspace'])
    .execute();
  await db.schema
    .createTable('sync_contacts')
    .addColumn('job_id', 'bigint', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_contacts_pk', ['job_id', 'external_id', 'member_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sync_contacts').execute();
  await db.schema.dropTable('sync_jobs').execute();
}
