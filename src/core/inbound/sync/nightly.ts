import { systemActor } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { fromZoned, zonedParts } from '../../kernel/time/zone.ts';
import type { OutboundAction, OutboxItem as OutboundItem } from '../../ports/outbound.ts';
import { mirrorTagChange } from '../../records/tags/tags.ts';
import { reconcileDepartures } from '../departures.ts';
import { startSync } from './jobs.ts';

/** The reconciliation runs from this hour of the organisation's night (TIMEZONE), when the platforms are quiet. */
export const NIGHTLY_HOUR = 3;
/** Hours after NIGHTLY_HOUR in which it may still start (a server down all that time waits for the next night). */
const NIGHTLY_WINDOW_HOURS = 3;
/** A tag younger than this may still have its mirror action on the way: left alone. */
const MIRROR_GRACE_MS = 60 * 60_000;
/** Customers whose lost mirrors are re-queued per night, at most. */
const MIRROR_LIMIT = 1000;

/**
 * The nightly reconciliation: once a night (from 03:00 local time), a full sync of every platform whose directory
 * can be read in bulk, to repair what missed events left behind, the tag mirrors lost between a rule tag and its
 * mirror action re-queued, and members who left unseen (the platform's unassigned list) listed to their managers.
 * Returns what to queue and how many syncs it started.
 */
export async function nightlyReconciliation(
  deps: CoreDeps,
): Promise<{ started: number; sends: OutboundItem[] }> {
  if (!deps.org.nightlySync) return { started: 0, sends: [] };
  const now = deps.clock.now();
  const local = zonedParts(now, deps.org.timeZone);
  if (local.hour < NIGHTLY_HOUR || local.hour >= NIGHTLY_HOUR + NIGHTLY_WINDOW_HOURS)
    return { started: 0, sends: [] };
  const tonight = fromZoned({ ...local, hour: NIGHTLY_HOUR, minute: 0, second: 0 }, deps.org.timeZone);
  let started = 0;
  for (const [platform, adapter] of deps.adapters) {
    if (!adapter.contacts?.bulk) continue;
    const last = await deps.db
      .selectFrom('sync_jobs')
      .select('created_at')
      .where('platform', '=', platform)
      .where('workspace', '=', adapter.workspace)
      .where('requested_via', '=', systemActor.via)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (last && last.created_at >= tonight) continue;
    const outcome = await startSync(deps, systemActor, platform);
    if ('job' in outcome && outcome.started) started++;
  }
  const sends: OutboundItem[] =
    started > 0 ? await requeueLostMirrors(deps, `${local.year}-${local.month}-${local.day}`) : [];
  // Departures Liaison missed (no delete_user event): listed to their managers once, like the ones it saw.
  if (started > 0) sends.push(...(await reconcileDepartures(deps)));
  return { started, sends };
}

/**
 * Rule and model tags that never reached the platform (`mirrored_at` still empty an hour on: the process died
 * between tagging and queueing the mirror, or the mirror failed): their mirror actions, keyed per night so a night
 * queues them once.
 */
export async function requeueLostMirrors(deps: CoreDeps, night: string): Promise<OutboundAction[]> {
  const lost = deps.db
    .selectFrom('customer_tags as ct')
    .innerJoin('tags as t', 't.id', 'ct.tag_id')
    .where('ct.mirrored_at', 'is', null)
    .where('ct.source', 'in', ['rule', 'llm'])
    .where('ct.created_at', '<', deps.clock.now() - MIRROR_GRACE_MS)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('contact_relations as r')
          .select('r.id')
          .whereRef('r.customer_id', '=', 'ct.customer_id')
          .where('r.status', '=', 'active'),
      ),
    );
  const customers = await lost
    .select('ct.customer_id')
    .distinct()
    .orderBy('ct.customer_id')
    .limit(MIRROR_LIMIT)
    .execute();
  if (customers.length === 0) return [];
  // D1 binds at most 100 parameters per statement: customers are read 90 at a time.
  const rows: Array<{ customer_id: number; name: string }> = [];
  for (let i = 0; i < customers.length; i += 90) {
    const ids = customers.slice(i, i + 90).map((c) => c.customer_id);
    rows.push(
      ...(await lost
        .select(['ct.customer_id', 't.name'])
        .where('ct.customer_id', 'in', ids)
        .orderBy('ct.customer_id')
        .orderBy('t.name')
        .execute()),
    );
  }
  const byCustomer = new Map<number, string[]>();
  for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r.name]);
  const sends: OutboundAction[] = [];
  for (const [customerId, names] of byCustomer)
    sends.push(
      ...(await mirrorTagChange(
        deps,
        customerId,
        { add: names, remove: [] },
        `reconcile:${night}:${customerId}`,
      )),
    );
  return sends;
}
