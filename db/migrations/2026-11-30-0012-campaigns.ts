import { type AnyDb, withId } from './helpers.ts';

/**
 * Segments, channel codes and customer sources, campaigns with their recipients and WeCom mass-send tasks, the
 * outreach log the frequency cap counts, and SOPs with their enrollments. Seeds the two built-in segments.
 */
export async function up(db: AnyDb): Promise<void> {
  await withId(db, db.schema.createTable('segments'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by_staff_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('channel_codes'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'bigint')
    .addColumn('staff_id', 'bigint')
    .addColumn('referrer_customer_id', 'bigint')
    .addColumn('platform_ref', 'text')
    .addColumn('link', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by_staff_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // A Feishu external chat is bound to at most one code.
  await db.schema
    .createIndex('channel_codes_platform_ref')
    .on('channel_codes')
    .columns(['platform', 'workspace', 'platform_ref'])
    .execute();

  await withId(db, db.schema.createTable('customer_sources'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull())
    .addColumn('channel_code_id', 'bigint')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('referrer_customer_id', 'bigint')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_sources_customer')
    .on('customer_sources')
    .columns(['customer_id', 'at'])
    .execute();
  await db.schema
    .createIndex('customer_sources_channel')
    .on('customer_sources')
    .columns(['channel_code_id', 'at'])
    .execute();

  await withId(db, db.schema.createTable('campaigns'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('segment_id', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('link_url', 'text')
    .addColumn('link_title', 'text')
    .addColumn('image', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'bigint')
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('holdout_pct', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_days', 'integer', (c) => c.notNull().defaultTo(14))
    .addColumn('channel_code_id', 'bigint')
    .addColumn('created_by_staff_id', 'bigint')
    .addColumn('scope_staff_id', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaigns_status')
    .on('campaigns')
    .columns(['status', 'scheduled_at'])
    .execute();

  await withId(db, db.schema.createTable('campaign_recipients'))
    .addColumn('campaign_id', 'bigint', (c) => c.notNull())
    .addColumn('customer_id', 'bigint', (c) => c.notNull())
    .addColumn('owner_staff_id', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('route', 'text')
    .addColumn('platform', 'text')
    .addColumn('chat_id', 'bigint')
    .addColumn('outbox_key', 'text')
    .addColumn('mass_send_id', 'bigint')
    .addColumn('queued_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('replied_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('campaign_recipients_once', ['campaign_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('campaign_recipients_status')
    .on('campaign_recipients')
    .columns(['campaign_id', 'status'])
    .execute();
  await db.schema
    .createIndex('campaign_recipients_customer')
    .on('campaign_recipients')
    .columns(['customer_id', 'campaign_id'])
    .execute();

  await withId(db, db.schema.createTable('campaign_mass_sends'))
    .addColumn('campaign_id', 'bigint')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace', 'text', (c) => c.notNull())
    .addColumn('sender_external_id', 'text', (c) => c.notNull())
    .addColumn('sender_staff_id', 'bigint')
    .addColumn('msgid', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('recipient_count', 'integer', (c) => c.notNull())
    .addColumn('fail_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('checked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('customer_outreach'))
    .addColumn('customer_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('outreach_key', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_outreach_customer')
    .on('customer_outreach')
    .columns(['customer_id', 'at'])
    .execute();

  await withId(db, db.schema.createTable('sops'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('trigger_kind', 'text', (c) => c.notNull())
    .addColumn('trigger_value', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('scanned_until', 'bigint', (c) => c.notNull())
    .addColumn('created_by_staff_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('sop_enrollments'))
    .addColumn('sop_id', 'bigint', (c) => c.notNull())
    .addColumn('customer_id', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('stop_reason', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('stage_at_start', 'text', (c) => c.notNull())
    .addColumn('next_step', 'integer', (c) => c.notNull())
    .addColumn('next_due_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sop_enrollments_once', ['sop_id', 'customer_id'])
    .execute();
  await db.schema
    .createIndex('sop_enrollments_due')
    .on('sop_enrollments')
    .columns(['status', 'next_due_at'])
    .execute();

  const now = Date.now();
  await db
    .insertInto('segments')
    .values([
      {
        name: 'dormant',
        description: '沉睡客户 Dormant: no contact for 60 days, not lost, to re-activate',
        filter: JSON.stringify({ excludeStages: ['lost'], lastContact: { olderThanDays: 60 } }),
        builtin: 1,
        created_at: now,
        updated_at: now,
      },
      {
        name: 'win-back',
        description: '流失挽回 Win back: lost (stage or contact) within 180 days',
        filter: JSON.stringify({ lost: { withinDays: 180 } }),
        builtin: 1,
        created_at: now,
        updated_at: now,
      },
    ])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'sop_enrollments',
    'sops',
    'customer_outreach',
    'campaign_mass_sends',
    'campaign_recipients',
    'campaigns',
    'customer_sources',
    'channel_codes',
    'segments',
  ])
    await db.schema.dropTable(table).execute();
}
