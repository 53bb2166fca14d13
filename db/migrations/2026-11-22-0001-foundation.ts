import { sql } from 'kysely';
import { type AnyDb, withId } from './helpers.ts';

/** The whole product's core model: people, conversations, CRM records, queues and audit. */
export async function up(db: AnyDb): Promise<void> {
  const s = db.schema;

  await withId(db, s.createTable('teams'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'bigint', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('staff'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('rep', 'manager', 'director', 'admin')`))
    .addColumn('team_id', 'bigint', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('language', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, s.createTable('staff_identities'))
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('username', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('staff_identities_key', ['platform', 'workspace', 'external_id'])
    .execute();

  await withId(db, s.createTable('customers'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('owner_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('stage', 'text', (c) => c.notNull().defaultTo('lead'))
    .addColumn('language', 'text')
    .addColumn('source', 'text')
    .addColumn('do_not_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged_into_id', 'bigint', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('origin_key', 'text', (c) => c.notNull().unique())
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('first_contact_at', 'bigint', (c) => c.notNull())
    .addColumn('last_contact_at', 'bigint')
    .addColumn('last_inbound_at', 'bigint')
    .addColumn('last_outbound_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await s
    .createIndex('customers_owner')
    .on('customers')
    .columns(['owner_staff_id', 'last_contact_at'])
    .execute();
  await s.createIndex('customers_stage').on('customers').column('stage').execute();
  await s.createIndex('customers_phone').on('customers').column('phone').execute();

  await withId(db, s.createTable('identities'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('username', 'text')
    .addColumn('phone', 'text')
    .addColumn('union_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('identities_key', ['platform', 'workspace', 'external_id'])
    .execute();
  await s.createIndex('identities_customer').on('identities').column('customer_id').execute();
  await s.createIndex('identities_union').on('identities').columns(['platform', 'union_id']).execute();

  await withId(db, s.createTable('chats'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('external_key', 'text', (c) => c.notNull())
    .addColumn('platform_chat_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('connection_id', 'text')
    .addColumn('customer_id', 'bigint', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('chats_key', ['platform', 'workspace', 'external_key'])
    .execute();

  await withId(db, s.createTable('platform_connections'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('owner_external_id', 'text', (c) => c.notNull())
    .addColumn('owner_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('can_reply', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('owner_chat_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('platform_connections_key', ['platform', 'workspace', 'external_id'])
    .execute();

  await withId(db, s.createTable('messages'))
    .addColumn('chat_id', 'bigint', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('customer_id', 'bigint', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('platform_message_id', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('in', 'out')`))
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('reply_to_platform_message_id', 'text')
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('edited_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .addUniqueConstraint('messages_key', ['chat_id', 'platform_message_id'])
    .execute();
  await s.createIndex('messages_customer_time').on('messages').columns(['customer_id', 'sent_at']).execute();
  await s.createIndex('messages_time').on('messages').column('sent_at').execute();

  await withId(db, s.createTable('message_revisions'))
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('revised_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('message_revisions_key', ['message_id', 'revised_at'])
    .execute();

  await withId(db, s.createTable('tags'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('group_name', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await s
    .createTable('customer_tags')
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('tag_id', 'bigint', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual', 'rule', 'llm')`))
    .addColumn('source_ref', 'text')
    .addColumn('confidence', 'real')
    .addColumn('message_id', 'bigint', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('actor_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_tags_pk', ['customer_id', 'tag_id'])
    .execute();
  await s.createIndex('customer_tags_tag').on('customer_tags').column('tag_id').execute();

  await withId(db, s.createTable('notes'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('author_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await s.createIndex('notes_customer').on('notes').columns(['customer_id', 'created_at']).execute();

  await withId(db, s.createTable('deals'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('owner_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .execute();
  await s.createIndex('deals_customer').on('deals').column('customer_id').execute();

  await withId(db, s.createTable('reminders'))
    .addColumn('customer_id', 'bigint', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('staff_id', 'bigint', (c) => c.notNull().references('staff.id').onDelete('cascade'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .execute();
  await s.createIndex('reminders_due').on('reminders').columns(['status', 'due_at']).execute();

  await withId(db, s.createTable('digest_subscriptions'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_ref', 'text', (c) => c.notNull())
    .addColumn('scope_team_id', 'bigint', (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('subscriber_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('digest_subscriptions_key', [
      'platform',
      'workspace',
      'target_kind',
      'target_ref',
      'kind',
    ])
    .execute();

  await withId(db, s.createTable('digest_runs'))
    .addColumn('subscription_id', 'bigint', (c) =>
      c.notNull().references('digest_subscriptions.id').onDelete('cascade'),
    )
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('error', 'text')
    .addUniqueConstraint('digest_runs_key', ['subscription_id', 'period_key'])
    .execute();

  await withId(db, s.createTable('inbox'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('last_error', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('processed_at', 'bigint')
    .addUniqueConstraint('inbox_key', ['platform', 'workspace', 'dedup_key'])
    .execute();
  await s.createIndex('inbox_due').on('inbox').columns(['status', 'available_at', 'id']).execute();

  await withId(db, s.createTable('outbox'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('available_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('last_error', 'text')
    .addColumn('platform_message_id', 'text')
    .addColumn('customer_id', 'bigint', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('chat_id', 'bigint', (c) => c.references('chats.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await s.createIndex('outbox_due').on('outbox').columns(['status', 'available_at', 'id']).execute();

  await withId(db, s.createTable('audit_log'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_staff_id', 'bigint', (c) => c.references('staff.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('detail', 'text')
    .execute();
  await s.createIndex('audit_log_time').on('audit_log').column('at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  const tables = [
    'audit_log',
    'outbox',
    'inbox',
    'digest_runs',
    'digest_subscriptions',
    'reminders',
    'deals',
    'notes',
    'customer_tags',
    'tags',
    'message_revisions',
    'messages',
    'platform_connections',
    'chats',
    'identities',
    'customers',
    'staff_identities',
    'staff',
    'teams',
  ];
  for (const table of tables) await db.schema.dropTable(table).execute();
}
