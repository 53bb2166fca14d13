import { sql } from 'kysely';
import { type AnyDb, withId } from './helpers.ts';

/**
 * Identity resolution: merge suggestions between two customers (with their evidence and score), and merges with the
 * snapshot that undoes them exactly. A pair holds at most one applied merge at a time (`pair_key` is unique while
 * applied; an undone merge renames its key), so two people merging the same pair at once make one merge.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('merge_suggestions'))
    .addColumn('customer_a_id', 'bigint', (c) => c.notNull())
    .addColumn('customer_b_id', 'bigint', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notified_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('merge_suggestions_pair', ['customer_a_id', 'customer_b_id'])
    .execute();
  await db.schema
    .createIndex('merge_suggestions_b')
    .on('merge_suggestions')
    .columns(['customer_b_id', 'status'])
    .execute();
  await db.schema
    .createIndex('merge_suggestions_open')
    .on('merge_suggestions')
    .columns(['status', 'score'])
    .execute();

  await withId(db, db.schema.createTable('customer_merges'))
    .addColumn('survivor_id', 'bigint', (c) => c.notNull())
    .addColumn('merged_id', 'bigint', (c) => c.notNull())
    .addColumn('pair_key', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('actor_staff_id', 'bigint')
    .addColumn('via', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .execute();
  await db.schema.createIndex('customer_merges_merged').on('customer_merges').column('merged_id').execute();
  // Suggestions look customers up by email (any case) and by name; PostgreSQL has no gram table for these.
  await db.schema
    .createIndex('customers_email_lower')
    .on('customers')
    .expression(sql`lower(email)`)
    .execute();
  await db.schema.createIndex('customers_display_name').on('customers').column('display_name').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('customers_display_name').execute();
  await db.schema.dropIndex('customers_email_lower').execute();
  await db.schema.dropTable('customer_merges').execute();
  await db.schema.dropTable('merge_suggestions').execute();
}
