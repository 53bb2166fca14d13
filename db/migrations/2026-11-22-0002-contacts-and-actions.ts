import { sql } from 'kysely';
import { type AnyDb, withId } from './helpers.ts';

/** Customer contact on the platforms: relations, group membership, platform tags, cursors, transfers, timeline events. */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;

  // The outbox carries platform actions too; target_key groups sends to one target for ordering and pacing.
  await s
    .alterTable('outbox')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('message'))
    .execute();
  await s.alterTable('outbox').addColumn('target_key', 'text').execute();
  await s
    .alterTable('outbox')
    .addColumn('report_to_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .execute();
  await s.createIndex('outbox_target_sent').on('outbox').columns(['target_key', 'sent_at']).execute();

  await s.alterTable('identities').addColumn('profile', 'text').execute();
  // When a tag last reached the platforms that mirror tags; a tag missing there after that was removed there.
  await s.alterTable('customer_tags').addColumn('mirrored_at', 'bigint').execute();

  await withId(db, s.createTable('customer_events'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform', 'text')
    .addColumn('actor_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('detail', 'text')
    .execute();
  await s
    .createIndex('customer_events_customer')
    .on('customer_events')
    .columns(['customer_id', 'at'])
    .execute();

  await withId(db, s.createTable('contact_relations'))
    .addColumn('identity_id', 'bigint', (c) => c.notNull().references('identities.id').onDelete('cascade'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('member_external_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'lost')`))
    .addColumn('remark', 'text')
    .addColumn('description', 'text')
    .addColumn('channel', 'text')
    .addColumn('added_at', 'bigint')
    .addColumn('lost_at', 'bigint')
    .addColumn('lost_reason', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('contact_relations_key', ['identity_id', 'member_external_id'])
    .execute();
  await s.createIndex('contact_relations_customer').on('contact_relations').column('customer_id').execute();
  await s
    .createIndex('contact_relations_staff')
    .on('contact_relations')
    .columns(['staff_id', 'status'])
    .execute();

  await withId(db, s.createTable('platform_tags'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('group_name', 'text')
    .addColumn('deleted_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('platform_tags_key', ['platform', 'workspace', 'external_id'])
    .execute();

  await s
    .createTable('platform_cursors')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('platform_cursors_pk', ['platform', 'workspace', 'name'])
    .execute();

  await withId(db, s.createTable('chat_members'))
    .addColumn('chat_id', 'bigint', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('member_key', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'bigint', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('joined_at', 'bigint')
    .addColumn('left_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('chat_members_key', ['chat_id', 'member_key'])
    .execute();

  await withId(db, s.createTable('transfers'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('customer_external_id', 'text', (c) => c.notNull())
    .addColumn('from_member', 'text', (c) => c.notNull())
    .addColumn('to_member', 'text', (c) => c.notNull())
    .addColumn('resigned', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('transfers_key', [
      'platform',
      'workspace',
      'customer_external_id',
      'from_member',
      'to_member',
    ])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'transfers',
    'chat_members',
    'platform_cursors',
    'platform_tags',
    'contact_relations',
    'customer_events',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('outbox_target_sent').execute();
  await db.schema.alterTable('outbox').dropColumn('target_key').execute();
  await db.schema.alterTable('outbox').dropColumn('report_to_staff_id').execute();
  await db.schema.alterTable('outbox').dropColumn('kind').execute();
  await db.schema.alterTable('identities').dropColumn('profile').execute();
  await db.schema.alterTable('customer_tags').dropColumn('mirrored_at').execute();
}
