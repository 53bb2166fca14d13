import { type AnyDb, withId } from './helpers.ts';

/**
 * Imports from the console: one job per uploaded file, planned (the preview) when it is uploaded and written a chunk
 * of rows per step afterwards, so a large file never holds a request or the database for long. `import_rows` keeps
 * the file's rows (checked, or with their problems) until the job is done with them.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('import_jobs'))
    .addColumn('staff_id', 'bigint', (c) => c.notNull())
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('digest', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('preview', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('import_jobs_staff').on('import_jobs').columns(['staff_id', 'id']).execute();
  await db.schema
    .createTable('import_rows')
    .addColumn('job_id', 'bigint', (c) => c.notNull())
    .addColumn('row', 'integer', (c) => c.notNull())
    .addColumn('data', 'text')
    .addPrimaryKeyConstraint('import_rows_pk', ['job_id', 'row'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('import_rows').execute();
  await db.schema.dropTable('import_jobs').execute();
}
