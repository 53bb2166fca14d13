import type { CoreDeps } from '../../kernel/runtime.ts';
import type { Platform } from '../../ports/events.ts';
import type { MassSendContent, OutboxItem } from '../../ports/outbound.ts';
import { chunks } from './audience.ts';

/** Margin for one more batch: a task this close to its platform's limit is queued rather than filled further. */
const BATCH_MARGIN = 100;
const IN_LIST = 90;

/**
 * The sending member's open task of this campaign (status `new`: collecting recipients, not yet queued), created when
 * there is none. Key `campaign:<id>:mass:<sender>:<n>`, n counting the member's tasks of the campaign: one task per
 * member for as many customers as the platform takes in one (WeCom: 10,000), so each rep confirms one message. Runs
 * under the campaign's lease.
 */
export async function openMassSendTask(
  deps: CoreDeps,
  campaignId: number,
  g: { platform: Platform; sender: string; workspace: string; senderStaffId: number | null },
  now: number,
): Promise<number> {
  const { db } = deps;
  const open = await db
    .selectFrom('campaign_mass_sends')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('sender_external_id', '=', g.sender)
    .where('status', '=', 'new')
    .orderBy('id')
    .executeTakeFirst();
  if (open) return open.id;
  const count = await db
    .selectFrom('campaign_mass_sends')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId)
    .where('sender_external_id', '=', g.sender)
    .executeTakeFirstOrThrow();
  const key = `campaign:${campaignId}:mass:${g.sender}:${Number(count.n)}`;
  await db
    .insertInto('campaign_mass_sends')
    .values({
      campaign_id: campaignId,
      platform: g.platform,
      workspace: g.workspace,
      sender_external_id: g.sender,
      sender_staff_id: g.senderStaffId,
      status: 'new',
      recipient_count: 0,
      fail_count: 0,
      idempotency_key: key,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  const row = await db
    .selectFrom('campaign_mass_sends')
    .select('id')
    .where('idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Queues the campaign's open mass-send tasks (all of them once every recipient is decided, else only those nearly full):
 * a `create_mass_send` action with the customers' external ids, then the recipients become queued. Recipients no longer
 * the member's contacts fail as `not_contact`. How many tasks it queued.
 */
export async function queueMassSendTasks(
  deps: CoreDeps,
  campaignId: number,
  content: MassSendContent,
  queue: (sends: OutboxItem[]) => Promise<void>,
  now: number,
  all: boolean,
): Promise<number> {
  const { db } = deps;
  const tasks = await db
    .selectFrom('campaign_mass_sends')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'new')
    .execute();
  let queued = 0;
  for (const task of tasks) {
    const members = await db
      .selectFrom('campaign_recipients')
      .select(['id', 'customer_id'])
      .where('mass_send_id', '=', task.id)
      .where('status', 'in', ['pending', 'queued'])
      .orderBy('id')
      .execute();
    // A platform no longer configured takes nothing more: its task goes now, and the outbox reports why it failed.
    const max = deps.adapters.get(task.platform)?.massSends?.maxCustomersPerTask ?? 0;
    if (!all && members.length < max - BATCH_MARGIN) continue;
    if (members.length === 0) {
      await db
        .deleteFrom('campaign_mass_sends')
        .where('id', '=', task.id)
        .where('status', '=', 'new')
        .execute();
      continue;
    }
    const externalOf = new Map<number, string>();
    for (const part of chunks(
      members.map((m) => m.customer_id),
      IN_LIST,
    )) {
      const rows = await db
        .selectFrom('contact_relations as r')
        .innerJoin('identities as i', 'i.id', 'r.identity_id')
        .select(['r.customer_id', 'i.external_id'])
        .where('r.customer_id', 'in', part)
        .where('r.member_external_id', '=', task.sender_external_id)
        .where('r.status', '=', 'active')
        .where('i.platform', '=', task.platform)
        .execute();
      for (const r of rows) externalOf.set(r.customer_id, r.external_id);
    }
    const lost = members.filter((m) => !externalOf.has(m.customer_id)).map((m) => m.id);
    for (const part of chunks(lost, IN_LIST))
      await db
        .updateTable('campaign_recipients')
        .set({ status: 'failed', reason: 'not_contact', updated_at: now })
        .where('id', 'in', part)
        .where('status', '=', 'pending')
        .execute();
    const customerExternalIds = [...new Set(externalOf.values())];
    await db
      .updateTable('campaign_mass_sends')
      .set({ recipient_count: customerExternalIds.length, updated_at: now })
      .where('id', '=', task.id)
      .execute();
    if (customerExternalIds.length > 0)
      await queue([
        {
          platform: task.platform,
          workspace: task.workspace,
          idempotencyKey: task.idempotency_key,
          action: {
            type: 'create_mass_send',
            massSendKey: task.idempotency_key,
            sender: task.sender_external_id,
            customerExternalIds,
            content,
          },
        },
      ]);
    await db
      .updateTable('campaign_recipients')
      .set({ status: 'queued', queued_at: now, updated_at: now })
      .where('mass_send_id', '=', task.id)
      .where('status', '=', 'pending')
      .execute();
    // Only from `new`: the outbox may already have created the task on WeCom (status `created`).
    await db
      .updateTable('campaign_mass_sends')
      .set({ status: customerExternalIds.length > 0 ? 'pending' : 'failed', updated_at: now })
      .where('id', '=', task.id)
      .where('status', '=', 'new')
      .execute();
    queued++;
  }
  return queued;
}
