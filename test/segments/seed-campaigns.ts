import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { DAY, insertAll, NOW, type random } from './seed.ts';

const STATUSES = ['queued', 'sent', 'delivered', 'delivered', 'holdout', 'skipped', 'failed'] as const;

/**
 * Three finished campaigns (100, 40 and 10 days ago, windows of 14, 30 and 7 days), recipients in every status, and
 * messages around each send: before it, within the window, after it; outbound ones, which never count as replies.
 */
export async function seedCampaigns(
  db: Kysely<Database>,
  customerIds: number[],
  r: ReturnType<typeof random>,
): Promise<void> {
  const segment = await db
    .selectFrom('segments')
    .select('id')
    .where('name', '=', 'dormant')
    .executeTakeFirstOrThrow();
  const recipients: Insertable<Database['campaign_recipients']>[] = [];
  const messages: Array<{ customerId: number; at: number; inbound: boolean }> = [];
  for (const [n, startedDaysAgo, windowDays] of [
    [1, 100, 14],
    [2, 40, 30],
    [3, 10, 7],
  ] as const) {
    const startedAt = NOW - (startedDaysAgo + 0.5) * DAY;
    const { id: campaignId } = await db
      .insertInto('campaigns')
      .values({
        name: `seed-campaign-${n}`,
        segment_id: segment.id,
        text: '新品上市',
        link_url: null,
        link_title: null,
        image: null,
        status: 'done',
        scheduled_at: startedAt,
        started_at: startedAt,
        finished_at: startedAt + DAY,
        holdout_pct: 10,
        window_days: windowDays,
        channel_code_id: null,
        created_by_staff_id: null,
        scope_staff_id: null,
        lease_owner: null,
        lease_until: null,
        created_at: startedAt,
        updated_at: startedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const customerId of customerIds.filter(() => r.chance(0.35))) {
      const status = r.pick(STATUSES);
      const reached = status === 'queued' || status === 'sent' || status === 'delivered';
      const queuedAt = reached ? startedAt + 0.25 * DAY : null;
      const sentAt = queuedAt !== null && status !== 'queued' ? queuedAt + 0.1 * DAY : null;
      recipients.push({
        campaign_id: campaignId,
        customer_id: customerId,
        owner_staff_id: null,
        status,
        reason: status === 'skipped' ? 'frequency_cap' : null,
        route: 'chat',
        platform: 'telegram',
        chat_id: null,
        outbox_key: null,
        mass_send_id: null,
        queued_at: queuedAt,
        sent_at: sentAt,
        delivered_at: status === 'delivered' ? sentAt : null,
        replied_at: null,
        created_at: startedAt,
        updated_at: startedAt,
      });
      // Half-day offsets: never on a window's edge.
      const base = sentAt ?? queuedAt ?? startedAt;
      for (let m = r.int(3); m > 0; m--) {
        const at = Math.min(base + (r.int(45) - 3 + 0.5) * DAY, NOW - DAY / 2);
        messages.push({ customerId, at, inbound: r.chance(0.8) });
      }
    }
  }
  await insertAll(db, 'campaign_recipients', recipients);

  const talking = [...new Set(messages.map((m) => m.customerId))];
  await insertAll(
    db,
    'chats',
    talking.map((id) => ({
      platform: 'telegram' as const,
      workspace: 'seed',
      external_key: `seed-chat-${id}`,
      platform_chat_id: `seed-chat-${id}`,
      kind: 'private' as const,
      title: null,
      connection_id: null,
      customer_id: id,
      created_at: NOW,
      updated_at: NOW,
    })),
  );
  const chats = new Map(
    (
      await db.selectFrom('chats').select(['id', 'customer_id']).where('workspace', '=', 'seed').execute()
    ).map((c) => [c.customer_id, c.id]),
  );
  await insertAll(
    db,
    'messages',
    messages.map((m, i) => ({
      chat_id: chats.get(m.customerId) as number,
      customer_id: m.customerId,
      platform: 'telegram' as const,
      platform_message_id: `seed-${i}`,
      direction: m.inbound ? ('in' as const) : ('out' as const),
      author_kind: m.inbound ? ('customer' as const) : ('staff' as const),
      author_staff_id: null,
      content_type: 'text',
      text: '好的',
      reply_to_platform_message_id: null,
      sent_at: m.at,
      received_at: m.at,
      edited_at: null,
      deleted_at: null,
      attachment: null,
    })),
  );
}
