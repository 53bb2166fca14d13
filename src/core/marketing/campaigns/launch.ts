import type { CoreDeps } from '../../kernel/runtime.ts';
import type { Platform } from '../../ports/events.ts';
import type { MassSendContent, OutboundMessage, OutboxItem } from '../../ports/outbound.ts';
import { type OutreachSkip, outreachMessage, reserveOutreach } from '../outreach/outreach.ts';
import { campaignMembers, chunks, inHoldout } from './audience.ts';
import { type CampaignRow, campaignSendKey } from './campaigns.ts';
import { openMassSendTask } from './mass-send-tasks.ts';

/** Recipients decided per dispatch step. */
export const BATCH = 100;
/** Rows per INSERT and ids per IN list: D1 binds at most 100 parameters per statement. */
const INSERT_ROWS = 15;
export const IN_LIST = 90;

/**
 * Copies the segment's members (in the campaign's scope) into `campaign_recipients` — pending, or holdout for the
 * comparison group. Safe to repeat: (campaign, customer) is unique. Null when the segment or its scope is gone.
 */
export async function snapshotRecipients(
  deps: CoreDeps,
  c: CampaignRow,
  now: number,
): Promise<number | null> {
  const { db } = deps;
  const members = await campaignMembers(deps, c, now);
  if (members === null) return null;
  for (const ids of chunks(members, IN_LIST)) {
    const owners = await db
      .selectFrom('customers')
      .select(['id', 'owner_staff_id'])
      .where('id', 'in', ids)
      .execute();
    const ownerOf = new Map(owners.map((o) => [Number(o.id), o.owner_staff_id]));
    for (const rows of chunks(ids, INSERT_ROWS)) {
      await db
        .insertInto('campaign_recipients')
        .values(
          rows.map((customerId) => ({
            campaign_id: c.id,
            customer_id: customerId,
            owner_staff_id: ownerOf.get(customerId) ?? null,
            status: inHoldout(c.id, customerId, c.holdout_pct) ? ('holdout' as const) : ('pending' as const),
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['campaign_id', 'customer_id']).doNothing())
        .execute();
    }
  }
  return members.length;
}

interface ChatMark {
  id: number;
  key: string;
  platform: OutboundMessage['platform'];
  chatId: number | null;
}

/**
 * Decides the next batch of pending recipients: skipped (with the reason), a chat message queued, or added to the
 * sending member's WeCom mass-send task (queued once the campaign's recipients are all decided). Sends are queued
 * before recipients are marked, so a crash repeats the batch and the outbox key keeps each send single.
 * How many recipients it decided.
 */
export async function dispatchBatch(
  deps: CoreDeps,
  c: CampaignRow,
  content: MassSendContent,
  queue: (sends: OutboxItem[]) => Promise<void>,
  now: number,
): Promise<number> {
  const { db } = deps;
  const batch = await db
    .selectFrom('campaign_recipients')
    .select(['id', 'customer_id'])
    .where('campaign_id', '=', c.id)
    .where('status', '=', 'pending')
    .where('mass_send_id', 'is', null)
    .orderBy('id')
    .limit(BATCH)
    .execute();
  if (batch.length === 0) return 0;
  const earlier = await queuedEarlier(
    deps,
    batch.map((r) => campaignSendKey(c.id, r.customer_id)),
  );
  const sends: OutboundMessage[] = [];
  const chatMarks: ChatMark[] = [];
  const skips = new Map<OutreachSkip, number[]>();
  // By platform and sending member: each member confirms one task.
  const tasks = new Map<
    string,
    { platform: Platform; sender: string; workspace: string; senderStaffId: number | null; ids: number[] }
  >();
  for (const r of batch) {
    const key = campaignSendKey(c.id, r.customer_id);
    const queued = earlier.get(key);
    if (queued) {
      chatMarks.push({ id: r.id, key, ...queued });
      continue;
    }
    const d = await reserveOutreach(
      deps,
      { customerId: r.customer_id, kind: 'campaign', ref: `campaign:${c.id}`, key, at: now },
      now,
    );
    if (!d.ok) {
      skips.set(d.reason, [...(skips.get(d.reason) ?? []), r.id]);
      continue;
    }
    if (d.route.kind === 'chat') {
      sends.push(outreachMessage(d.route, content, key, r.customer_id));
      chatMarks.push({ id: r.id, key, platform: d.route.platform, chatId: d.route.chatId });
    } else {
      const taskKey = `${d.route.platform}:${d.route.senderExternalId}`;
      const group = tasks.get(taskKey) ?? {
        platform: d.route.platform,
        sender: d.route.senderExternalId,
        workspace: d.route.workspace,
        senderStaffId: d.route.senderStaffId,
        ids: [],
      };
      group.ids.push(r.id);
      tasks.set(taskKey, group);
    }
  }
  await queue(sends);
  for (const m of chatMarks) {
    await db
      .updateTable('campaign_recipients')
      .set({
        status: 'queued',
        route: 'chat',
        platform: m.platform,
        chat_id: m.chatId,
        outbox_key: m.key,
        queued_at: now,
        updated_at: now,
      })
      .where('id', '=', m.id)
      .where('status', '=', 'pending')
      .execute();
  }
  for (const [reason, ids] of skips) {
    for (const part of chunks(ids, IN_LIST))
      await db
        .updateTable('campaign_recipients')
        .set({ status: 'skipped', reason, updated_at: now })
        .where('id', 'in', part)
        .where('status', '=', 'pending')
        .execute();
  }
  for (const group of tasks.values()) {
    const task = await openMassSendTask(deps, c.id, group, now);
    // Assigned but still pending: the task is queued once every recipient of the campaign is decided.
    for (const part of chunks(group.ids, IN_LIST))
      await db
        .updateTable('campaign_recipients')
        .set({ mass_send_id: task, route: 'wecom_template', platform: group.platform, updated_at: now })
        .where('id', 'in', part)
        .where('status', '=', 'pending')
        .where('mass_send_id', 'is', null)
        .execute();
  }
  return batch.length;
}

/** Campaign sends already in the outbox (an earlier run queued them, then stopped before marking). */
async function queuedEarlier(
  deps: CoreDeps,
  keys: string[],
): Promise<Map<string, { platform: OutboundMessage['platform']; chatId: number | null }>> {
  const found = new Map<string, { platform: OutboundMessage['platform']; chatId: number | null }>();
  for (const part of chunks(keys, IN_LIST)) {
    const rows = await deps.db
      .selectFrom('outbox')
      .select(['idempotency_key', 'platform', 'chat_id'])
      .where('idempotency_key', 'in', part)
      .execute();
    for (const r of rows) found.set(r.idempotency_key, { platform: r.platform, chatId: r.chat_id });
  }
  return found;
}
