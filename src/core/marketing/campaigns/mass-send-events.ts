import type { CoreDeps } from '../../kernel/runtime.ts';
import type { MassSendEvent, Platform } from '../../ports/events.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { chunks } from './audience.ts';

const IN_LIST = 90;
/** What WeCom's per-customer result means for the recipient. */
const OUTCOME = {
  sent: { status: 'delivered', reason: null },
  not_contact: { status: 'failed', reason: 'not_contact' },
  limit: { status: 'failed', reason: 'monthly_limit' },
} as const;

/**
 * Records how a WeCom mass-send task went: its msgid and the customers refused at creation (failed, `not_contact`);
 * then, from each check, whether the member confirmed it (confirmed_at: which rep sent is the task's sender) and each
 * customer's result (delivered, or failed as not_contact / monthly_limit). Idempotent: only recipients still queued
 * change, and the task's times are set once.
 */
export async function handleMassSendEvent(
  deps: CoreDeps,
  event: MassSendEvent,
  _key: string,
): Promise<OutboxItem[]> {
  const { db } = deps;
  const now = deps.clock.now();
  const task = await db
    .selectFrom('campaign_mass_sends')
    .selectAll()
    .where('idempotency_key', '=', event.massSendKey)
    .executeTakeFirst();
  // An expired task's recipients are settled (not_confirmed / unsent); a late answer changes nothing.
  if (!task || task.status === 'expired' || task.status === 'failed') return [];
  // Recipients first, then the task: whoever sees the task settled sees its recipients settled too.
  if (event.created) {
    await settle(deps, task, event.created.failedCustomerIds, 'not_contact', null, now);
    await db
      .updateTable('campaign_mass_sends')
      .set({
        msgid: event.msgid,
        status: 'created',
        fail_count: event.created.failedCustomerIds.length,
        updated_at: now,
      })
      .where('id', '=', task.id)
      .where('status', 'in', ['new', 'pending'])
      .execute();
  }
  if (event.checked) {
    const { confirmed, results } = event.checked;
    // One UPDATE per outcome and send time, not per customer (a task may hold 10,000).
    const groups = new Map<string, { outcome: keyof typeof OUTCOME; sentAt: number | null; ids: string[] }>();
    for (const r of results) {
      if (r.status === 'unsent') continue;
      const sentAt = r.status === 'sent' ? (r.sentAt ?? now) : null;
      const k = `${r.status}:${sentAt}`;
      const g = groups.get(k) ?? { outcome: r.status, sentAt, ids: [] };
      g.ids.push(r.customerExternalId);
      groups.set(k, g);
    }
    for (const g of groups.values()) await settle(deps, task, g.ids, g.outcome, g.sentAt, now);
    const sentTimes = results.flatMap((r) => (r.sentAt !== undefined ? [r.sentAt] : []));
    await db
      .updateTable('campaign_mass_sends')
      .set({
        checked_at: now,
        updated_at: now,
        ...(event.msgid && task.msgid === null ? { msgid: event.msgid } : {}),
        ...(confirmed && task.confirmed_at === null
          ? { confirmed_at: sentTimes.length > 0 ? Math.min(...sentTimes) : event.occurredAt }
          : {}),
      })
      .where('id', '=', task.id)
      .execute();
    if (confirmed) {
      const complete = !results.some((r) => r.status === 'unsent');
      await db
        .updateTable('campaign_mass_sends')
        .set({ status: complete ? 'finished' : 'confirmed', updated_at: now })
        .where('id', '=', task.id)
        .where('status', 'in', complete ? ['pending', 'created', 'confirmed'] : ['pending', 'created'])
        .execute();
    }
  }
  return [];
}

/**
 * Recipients of a task still waiting for a result: queued, or still pending when the outbox carried the task out before
 * the dispatcher marked them queued.
 */
const WAITING = ['pending', 'queued'] as const;

/** Sets the recipients of a task (by their external id on its platform) that still wait to the outcome. */
async function settle(
  deps: CoreDeps,
  task: { id: number; platform: Platform },
  externalIds: string[],
  outcome: keyof typeof OUTCOME,
  sentAt: number | null,
  now: number,
): Promise<void> {
  const { db } = deps;
  for (const part of chunks([...new Set(externalIds)], IN_LIST)) {
    const recipients = await db
      .selectFrom('campaign_recipients as r')
      .innerJoin('identities as i', 'i.customer_id', 'r.customer_id')
      .select('r.id')
      .where('r.mass_send_id', '=', task.id)
      .where('r.status', 'in', WAITING)
      .where('i.platform', '=', task.platform)
      .where('i.external_id', 'in', part)
      .execute();
    const ids = [...new Set(recipients.map((r) => r.id))];
    if (ids.length === 0) continue;
    const { status, reason } = OUTCOME[outcome];
    await db
      .updateTable('campaign_recipients')
      .set({
        status,
        reason,
        updated_at: now,
        ...(sentAt !== null ? { sent_at: sentAt, delivered_at: sentAt } : {}),
      })
      .where('id', 'in', ids)
      .where('status', 'in', WAITING)
      .execute();
  }
}
