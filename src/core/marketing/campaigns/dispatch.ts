import { audit } from '../../kernel/audit.ts';
import { ownerNow } from '../../kernel/permissions/ownership.ts';
import { customerScope } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { type CampaignRow, campaignContent, cancelPending } from './campaigns.ts';
import { dispatchBatch, snapshotRecipients } from './launch.ts';
import { queueMassSendTasks } from './mass-send-tasks.ts';
import { campaignFinished, expireTasks, followOutbox, sweepCancelled } from './results.ts';

/** How long one instance holds a campaign; a step takes far less, and a crashed holder's lease simply runs out. */
const LEASE_MS = 60_000;
/** Campaigns advanced per step, so one large campaign does not starve the others of turns. */
const CAMPAIGNS_PER_STEP = 5;

/**
 * Starts due campaigns and queues the next batch of each running one, through `queue` (the outbox) before marking
 * recipients queued, so a crash repeats a batch (the sends' keys keep them single) and loses nothing. A campaign is
 * advanced only under its lease (`lease_owner`/`lease_until`, taken with a conditional UPDATE), so two instances never
 * dispatch one campaign at once. Also follows the outbox (delivered / failed), expires old WeCom tasks and marks
 * finished campaigns done. How many rows moved (0 when there was nothing to do).
 */
export async function dispatchCampaigns(
  deps: CoreDeps,
  leaseOwner: string,
  queue: (sends: OutboxItem[]) => Promise<void>,
): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  let moved = await followOutbox(deps);
  moved += await expireTasks(deps);
  moved += await sweepCancelled(deps);
  const due = await db
    .selectFrom('campaigns')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<=', now)
    .execute();
  for (const d of due) {
    const started = await db
      .updateTable('campaigns')
      .set({ status: 'running', updated_at: now })
      .where('id', '=', d.id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    moved += Number(started.numUpdatedRows);
  }
  const running = await db
    .selectFrom('campaigns')
    .select('id')
    .where('status', '=', 'running')
    .where((eb) =>
      eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', leaseOwner)]),
    )
    .orderBy('updated_at')
    .limit(CAMPAIGNS_PER_STEP)
    .execute();
  for (const r of running) {
    if (!(await claim(deps, r.id, leaseOwner, now))) continue;
    try {
      moved += await advance(deps, r.id, queue, now);
    } finally {
      await db
        .updateTable('campaigns')
        .set({ lease_owner: null, lease_until: null })
        .where('id', '=', r.id)
        .where('lease_owner', '=', leaseOwner)
        .execute();
    }
  }
  return moved;
}

/** Takes the campaign's lease when it is free, expired or already ours. */
async function claim(deps: CoreDeps, id: number, owner: string, now: number): Promise<boolean> {
  const r = await deps.db
    .updateTable('campaigns')
    .set({ lease_owner: owner, lease_until: now + LEASE_MS })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', owner)]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** One step of one running campaign, under its lease: launch (snapshot), one batch, the WeCom tasks, done. */
async function advance(
  deps: CoreDeps,
  id: number,
  queue: (sends: OutboxItem[]) => Promise<void>,
  now: number,
): Promise<number> {
  const { db } = deps;
  const c = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
  if (c?.status !== 'running') return 0;
  if (c.started_at === null) return launch(deps, c, now);
  if (!(await keepToOwnerScope(deps, c, now))) return 0;
  const content = campaignContent(c);
  const decided = await dispatchBatch(deps, c, content, queue, now);
  const undecided = await db
    .selectFrom('campaign_recipients')
    .select('id')
    .where('campaign_id', '=', c.id)
    .where('status', '=', 'pending')
    .where('mass_send_id', 'is', null)
    .limit(1)
    .executeTakeFirst();
  const tasks = await queueMassSendTasks(deps, c.id, content, queue, now, undecided === undefined);
  if (decided + tasks > 0 || undecided) {
    await db.updateTable('campaigns').set({ updated_at: now }).where('id', '=', c.id).execute();
    return decided + tasks;
  }
  if (!(await campaignFinished(deps, c.id))) return 0;
  const done = await db
    .updateTable('campaigns')
    .set({ status: 'done', finished_at: now, updated_at: now })
    .where('id', '=', c.id)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) > 0)
    await audit(db, now, {
      actorKind: 'system',
      action: 'campaign.done',
      subjectKind: 'campaign',
      subjectId: c.id,
    });
  return Number(done.numUpdatedRows);
}

/**
 * Snapshots the segment into recipients, then marks the campaign started. A campaign whose segment (or scope) is gone
 * is cancelled rather than sent to anyone.
 */
async function launch(deps: CoreDeps, c: CampaignRow, now: number): Promise<number> {
  const { db } = deps;
  const members = await snapshotRecipients(deps, c, now);
  if (members === null) {
    await db
      .updateTable('campaigns')
      .set({ status: 'cancelled', finished_at: now, updated_at: now })
      .where('id', '=', c.id)
      .where('status', '=', 'running')
      .execute();
    await audit(db, now, {
      actorKind: 'system',
      action: 'campaign.cancel',
      subjectKind: 'campaign',
      subjectId: c.id,
      detail: { reason: 'segment or scope gone' },
    });
    return 1;
  }
  await db
    .updateTable('campaigns')
    .set({ started_at: now, updated_at: now })
    .where('id', '=', c.id)
    .where('started_at', 'is', null)
    .execute();
  await audit(db, now, {
    actorKind: 'system',
    action: 'campaign.launch',
    subjectKind: 'campaign',
    subjectId: c.id,
    detail: { members },
  });
  return 1 + members;
}

/**
 * Before every batch: recipients who left the scope of the campaign's owner since launch (reassigned to another team)
 * are skipped, and a campaign whose owner left or lost the role is cancelled. False when it was cancelled.
 */
async function keepToOwnerScope(deps: CoreDeps, c: CampaignRow, now: number): Promise<boolean> {
  const { db } = deps;
  const owner = await ownerNow(db, c.scope_staff_id);
  if (owner === 'gone') {
    const stopped = await db
      .updateTable('campaigns')
      .set({ status: 'cancelled', finished_at: now, updated_at: now })
      .where('id', '=', c.id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(stopped.numUpdatedRows) > 0) {
      await cancelPending(deps, c.id);
      await audit(db, now, {
        actorKind: 'system',
        action: 'campaign.cancel',
        subjectKind: 'campaign',
        subjectId: c.id,
        detail: { reason: 'owner_gone' },
      });
    }
    return false;
  }
  const scope = owner ? customerScope(db, owner) : null;
  if (!scope) return true;
  await db
    .updateTable('campaign_recipients')
    .set({ status: 'skipped', reason: 'out_of_scope', updated_at: now })
    .where('campaign_id', '=', c.id)
    .where('status', '=', 'pending')
    .where('customer_id', 'not in', db.selectFrom('customers').select('customers.id').where(scope))
    .execute();
  return true;
}
