import type { RecipientStatus } from '../../db/schema.ts';
import { postTelegramPrivate } from '../helpers/chat-driver.ts';
import { type Harness, waitFor } from '../helpers/harness.ts';

// Data setup for the effect reports: campaigns, recipients and sources are written as the campaign and attribution
// code would leave them; customers, their messages and stage moves go through the real app.

/** A Telegram customer writes, at the clock's time; resolves once the message is stored. */
export async function say(h: Harness, userId: string, name: string, text: string): Promise<void> {
  await postTelegramPrivate(h, userId, name, text);
  await waitFor(() => h.db.selectFrom('messages').select('id').where('text', '=', text).executeTakeFirst());
}

/** A customer's stage moved by the API (a `stage_changed` event at the clock's time). */
export async function moveStage(h: Harness, customerId: number, stage: string): Promise<void> {
  const r = await h.api(`/customers/${customerId}`, undefined, {
    method: 'PATCH',
    body: JSON.stringify({ stage }),
  });
  if (r.status !== 200) throw new Error(`PATCH stage answered ${r.status}`);
}

/** A deal won at `closedAt`, for `yuan`. */
export async function wonDeal(h: Harness, customerId: number, yuan: number, closedAt: number): Promise<void> {
  await h.db
    .insertInto('deals')
    .values({
      customer_id: customerId,
      title: `deal ${customerId}`,
      amount_minor: yuan * 100,
      currency: 'CNY',
      stage: 'won',
      probability: 100,
      owner_staff_id: null,
      created_at: closedAt,
      updated_at: closedAt,
      closed_at: closedAt,
      request_key: null,
    })
    .execute();
}

/** A campaign that started at `startedAt`, with one recipient row per entry. */
export async function insertCampaign(
  h: Harness,
  c: { name: string; startedAt: number; windowDays: number; holdoutPct: number },
  recipients: Array<{
    customerId: number;
    status: RecipientStatus;
    reason?: string;
    route?: 'chat' | 'wecom_template';
    sentAt?: number | null;
    queuedAt?: number | null;
  }>,
): Promise<number> {
  const segment = await h.db
    .insertInto('segments')
    .values({
      name: `seg-${c.name}`,
      description: null,
      filter: '{}',
      builtin: 0,
      created_by_staff_id: null,
      created_at: c.startedAt,
      updated_at: c.startedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const campaign = await h.db
    .insertInto('campaigns')
    .values({
      name: c.name,
      segment_id: segment.id,
      text: '春季回访，老客户专享优惠',
      link_url: null,
      link_title: null,
      image: null,
      status: 'done',
      scheduled_at: c.startedAt,
      started_at: c.startedAt,
      finished_at: c.startedAt + 60_000,
      holdout_pct: c.holdoutPct,
      window_days: c.windowDays,
      channel_code_id: null,
      created_by_staff_id: null,
      scope_staff_id: null,
      lease_owner: null,
      lease_until: null,
      created_at: c.startedAt,
      updated_at: c.startedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const r of recipients) {
    await h.db
      .insertInto('campaign_recipients')
      .values({
        campaign_id: campaign.id,
        customer_id: r.customerId,
        owner_staff_id: null,
        status: r.status,
        reason: r.reason ?? null,
        route: r.route ?? null,
        platform: r.route ? (r.route === 'chat' ? 'telegram' : 'wecom') : null,
        chat_id: null,
        outbox_key: r.route ? `campaign:${campaign.id}:${r.customerId}` : null,
        mass_send_id: null,
        queued_at: r.queuedAt ?? null,
        sent_at: r.sentAt ?? null,
        delivered_at: r.status === 'delivered' ? (r.sentAt ?? null) : null,
        replied_at: null,
        created_at: c.startedAt,
        updated_at: c.startedAt,
      })
      .execute();
  }
  return Number(campaign.id);
}

/** A channel code (渠道活码) and the sources recorded for it. */
export async function insertChannel(h: Harness, code: string, name: string, at: number): Promise<number> {
  const row = await h.db
    .insertInto('channel_codes')
    .values({
      code,
      name,
      kind: 'event',
      platform: 'telegram',
      workspace: 'default',
      campaign_id: null,
      staff_id: null,
      referrer_customer_id: null,
      platform_ref: null,
      link: `https://t.me/LiaisonCrmBot?start=${code}`,
      active: 1,
      created_by_staff_id: null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A customer came in through `code` at `at`. */
export async function insertSource(h: Harness, customerId: number, code: string, at: number): Promise<void> {
  const channel = await h.db
    .selectFrom('channel_codes')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirst();
  await h.db
    .insertInto('customer_sources')
    .values({
      customer_id: customerId,
      channel_code_id: channel ? channel.id : null,
      code,
      platform: 'telegram',
      referrer_customer_id: null,
      at,
      source_key: `test:${customerId}:${code}:${at}`,
      created_at: at,
    })
    .execute();
}
