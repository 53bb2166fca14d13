import { sql } from 'kysely';
import { type AnyDb, withId } from './helpers.ts';

/**
 * Quick replies (话术库): saved texts staff send with `/reply #12 :price`. Each belongs to a team (null: the whole
 * organisation's) and has a short key, unique within its owner: a unique index over the key and the team with null
 * read as 0, since a plain unique constraint lets any number of NULL teams repeat a key. `request_key` is the key of
 * the request that last wrote the row, so a retried request writes once.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('quick_replies'))
    .addColumn('owner_team_id', 'integer')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_by_staff_id', 'integer')
    .addColumn('request_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('quick_replies_team_key')
    .on('quick_replies')
    .unique()
    .expression(sql`coalesce(owner_team_id, 0), ${sql.ref('key')}`)
    .execute();
  await db.schema.createIndex('quick_replies_key').on('quick_replies').column('key').execute();
  await db.schema.createIndex('quick_replies_request').on('quick_replies').column('request_key').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('quick_replies').execute();
}
