import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { contactable } from '../../records/privacy/do-not-contact.ts';
import { messageToStaff } from '../../records/staff/notify.ts';

const DAY = 86_400_000;
/** How long a buying signal keeps a customer on the hot list. */
export const HOT_LEAD_DAYS = 7;
/** Hot leads one batched ping names at most (the rest are on `/mine`). */
const PINGED = 20;

/** A customer on the hot list: who, and their latest buying signal. */
export interface HotLead {
  customerId: number;
  name: string;
  company: string | null;
  stage: string;
  /** When the latest buying signal came (epoch ms). */
  at: number;
  /** The message it came with, when known. */
  messageId: number | null;
}

/**
 * The actor's hot list: customers who showed buying intent (a `high_intent` alert, from the rules or the model) in
 * the last HOT_LEAD_DAYS, latest first — those they own, and unowned ones whose alert went to them. An unrestricted
 * actor (the command line, an unbound API token) sees every hot lead. Customers who asked not to be contacted are
 * left out, like every follow-up list. Read by `/mine`, the panel and the digest's counterpart.
 */
export async function hotLeads(
  deps: CoreDeps,
  actor: Actor,
  o: { limit?: number } = {},
): Promise<{ total: number; leads: HotLead[] }> {
  const { db, clock } = deps;
  const staffId = actor.staffId;
  const rows = await db
    .selectFrom('alerts')
    .innerJoin('customers', 'customers.id', 'alerts.customer_id')
    .where('alerts.cause', '=', 'high_intent')
    .where('alerts.created_at', '>=', clock.now() - HOT_LEAD_DAYS * DAY)
    .where('customers.merged_into_id', 'is', null)
    .where(contactable)
    .$if(staffId !== null || actor.viewer !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('customers.owner_staff_id', '=', staffId ?? -1),
          eb.and([eb('customers.owner_staff_id', 'is', null), eb('alerts.staff_id', '=', staffId ?? -1)]),
        ]),
      ),
    )
    .select([
      'customers.id',
      'customers.display_name',
      'customers.company',
      'customers.stage',
      'alerts.created_at',
      'alerts.message_id',
    ])
    .orderBy('alerts.created_at', 'desc')
    .orderBy('alerts.id', 'desc')
    .execute();
  const seen = new Set<number>();
  const leads: HotLead[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    leads.push({
      customerId: r.id,
      name: r.display_name,
      company: r.company,
      stage: r.stage,
      at: r.created_at,
      messageId: r.message_id,
    });
  }
  return { total: leads.length, leads: leads.slice(0, o.limit ?? leads.length) };
}

/**
 * Hot leads not yet pinged, batched per staff member: one ping naming every new one, once the oldest has waited
 * `HOT_LEAD_PING_HOURS` and the previous ping is that old too (so at most one per interval, and never at once).
 * Returns the sends to queue and the alerts they settle (`markHotLeadsPinged` after queueing; a crash in between
 * rebuilds the same ping, whose key the outbox keeps once).
 */
export async function hotLeadPings(deps: CoreDeps): Promise<{ sends: OutboxItem[]; alertIds: number[] }> {
  const { db, clock, org } = deps;
  const now = clock.now();
  const waiting = await db
    .selectFrom('alerts')
    .select(['alerts.staff_id', 'alerts.created_at'])
    .where('alerts.cause', '=', 'high_intent')
    .where('alerts.settled_at', 'is', null)
    .where('alerts.staff_id', 'is not', null)
    .where('alerts.created_at', '>=', now - HOT_LEAD_DAYS * DAY)
    .where('alerts.created_at', '<=', now - org.hotLeadPingMs)
    .orderBy('alerts.created_at')
    .limit(1_000)
    .execute();
  // Each staff member with a lead waiting the interval, and their oldest one (the list is oldest first).
  const oldest = new Map<number, number>();
  for (const w of waiting)
    if (!oldest.has(w.staff_id as number)) oldest.set(w.staff_id as number, w.created_at);
  const sends: OutboxItem[] = [];
  const alertIds: number[] = [];
  for (const [staffId, since] of oldest) {
    const last = await db
      .selectFrom('alerts')
      .select((eb) => eb.fn.max('settled_at').as('at'))
      .where('cause', '=', 'high_intent')
      .where('staff_id', '=', staffId)
      .executeTakeFirst();
    if (last?.at != null && Number(last.at) > now - org.hotLeadPingMs) continue;
    // Every unsettled lead of theirs goes in the ping, also those newer than the interval.
    const fresh = await db
      .selectFrom('alerts')
      .innerJoin('customers', 'customers.id', 'alerts.customer_id')
      .select(['alerts.id', 'customers.id as customerId', 'customers.display_name'])
      .select(['customers.merged_into_id', 'customers.do_not_contact'])
      .where('alerts.cause', '=', 'high_intent')
      .where('alerts.settled_at', 'is', null)
      .where('alerts.staff_id', '=', staffId)
      .where('alerts.created_at', '>=', since)
      .orderBy('alerts.created_at')
      .execute();
    const named = new Map<number, string>();
    for (const f of fresh)
      if (f.merged_into_id === null && f.do_not_contact === 0) named.set(f.customerId, f.display_name);
    const ids = fresh.map((f) => f.id);
    alertIds.push(...ids);
    if (named.size === 0) continue;
    const lines = [...named].slice(0, PINGED).map(([id, name]) => `#${id} ${name}`);
    const say = (lang: Lang) => messages(lang).alerts.hotLeads(named.size, lines.join('\n'));
    sends.push(...(await messageToStaff(deps, staffId, say, `hot-leads:${staffId}:${Math.max(...ids)}`)));
  }
  return { sends, alertIds };
}

/** Settles the hot leads a queued ping named. */
export async function markHotLeadsPinged(deps: CoreDeps, alertIds: number[]): Promise<void> {
  for (let i = 0; i < alertIds.length; i += 500) {
    await deps.db
      .updateTable('alerts')
      .set({ settled_at: deps.clock.now() })
      .where('id', 'in', alertIds.slice(i, i + 500))
      .execute();
  }
}
