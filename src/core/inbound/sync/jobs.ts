import type { Selectable } from 'kysely';
import type { Platform, SyncJobTable, SyncPhase, SyncStatus } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs, mayOperate } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';

export type SyncJobRow = Selectable<SyncJobTable>;

/** What changed in a sync, counted; a second run over an unchanged platform counts nothing but `seen`. */
export interface SyncSummary {
  membersSeen: number;
  membersAdded: number;
  contactsSeen: number;
  customersCreated: number;
  customersUpdated: number;
  relationsLost: number;
  groupsSeen: number;
  groupsAdded: number;
  groupMembersJoined: number;
  groupMembersLeft: number;
}

export const emptySummary = (): SyncSummary => ({
  membersSeen: 0,
  membersAdded: 0,
  contactsSeen: 0,
  customersCreated: 0,
  customersUpdated: 0,
  relationsLost: 0,
  groupsSeen: 0,
  groupsAdded: 0,
  groupMembersJoined: 0,
  groupMembersLeft: 0,
});

/** A sync job as the API and the CLI show it. */
export interface SyncJobView {
  id: number;
  platform: string;
  status: SyncStatus;
  phase: SyncPhase;
  progress: Partial<Record<SyncPhase, { done: number; total?: number }>>;
  summary: SyncSummary;
  /** True when nothing but `seen` counts moved: the platform and Liaison already agreed. */
  unchanged: boolean;
  attempts: number;
  retryAt: number | null;
  lastError: string | null;
  requestedVia: string;
  createdAt: number;
  finishedAt: number | null;
}

export const viewOf = (j: SyncJobRow): SyncJobView => {
  const summary = { ...emptySummary(), ...(JSON.parse(j.summary) as Partial<SyncSummary>) };
  const { membersSeen, contactsSeen, groupsSeen, ...changes } = summary;
  return {
    id: Number(j.id),
    platform: j.platform,
    status: j.status,
    phase: j.phase,
    progress: JSON.parse(j.progress),
    summary,
    unchanged: Object.values(changes).every((n) => n === 0),
    attempts: j.attempts,
    retryAt: j.retry_at > 0 ? j.retry_at : null,
    lastError: j.last_error,
    requestedVia: j.requested_via,
    createdAt: j.created_at,
    finishedAt: j.finished_at,
  };
};

export type StartOutcome =
  | { job: SyncJobView; started: boolean }
  | { refused: 'not_allowed' }
  | { refused: 'no_directory' };

/**
 * Queues a full sync of a platform's directory (admins and the operator only). One runs at a time per installation:
 * asking again while one is queued or running answers that one, and after one failed, resumes it.
 */
export async function startSync(deps: CoreDeps, actor: Actor, platform: string): Promise<StartOutcome> {
  if (!mayOperate(actor)) return { refused: 'not_allowed' };
  const adapter = deps.adapters.get(platform);
  if (!adapter?.contacts?.bulk) return { refused: 'no_directory' };
  const open = await unfinishedJob(deps, platform, adapter.workspace);
  if (open) return { job: viewOf(open), started: false };
  const now = deps.clock.now();
  // A sync that gave up (too many refusals, WeCom unreachable) carries on from its saved cursor.
  const failed = await deps.db
    .selectFrom('sync_jobs')
    .selectAll()
    .where('platform', '=', platform)
    .where('workspace', '=', adapter.workspace)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (failed?.status === 'failed') {
    const revived = {
      status: 'queued' as const,
      attempts: 0,
      retry_at: 0,
      last_error: null,
      finished_at: null,
    };
    await deps.db
      .updateTable('sync_jobs')
      .set({ ...revived, updated_at: now })
      .where('id', '=', failed.id)
      .execute();
    await audit(deps.db, now, {
      ...auditedAs(actor),
      action: 'sync.resumed',
      subjectKind: 'sync_job',
      subjectId: Number(failed.id),
      detail: { platform },
    });
    return { job: viewOf({ ...failed, ...revived }), started: true };
  }
  const row = await deps.db
    .insertInto('sync_jobs')
    .values({
      platform,
      workspace: adapter.workspace,
      status: 'queued',
      phase: 'members',
      cursor: '',
      members: '[]',
      progress: '{}',
      summary: '{}',
      attempts: 0,
      retry_at: 0,
      lease_owner: null,
      lease_until: 0,
      last_error: null,
      finished_at: null,
      requested_via: actor.via,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(deps.db, now, {
    ...auditedAs(actor),
    action: 'sync.started',
    subjectKind: 'sync_job',
    subjectId: Number(row.id),
    detail: { platform },
  });
  return { job: viewOf(row), started: true };
}

/** A sync job by id (admins and the operator only); null when there is none. */
export async function readSyncJob(
  deps: CoreDeps,
  actor: Actor,
  id: number,
): Promise<SyncJobView | null | 'not_allowed'> {
  if (!mayOperate(actor)) return 'not_allowed';
  const row = await deps.db.selectFrom('sync_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? viewOf(row) : null;
}

export function unfinishedJob(deps: CoreDeps, platform: Platform | string, workspace: string) {
  return deps.db
    .selectFrom('sync_jobs')
    .selectAll()
    .where('platform', '=', platform)
    .where('workspace', '=', workspace)
    .where('status', 'in', ['queued', 'running'])
    .orderBy('id')
    .executeTakeFirst();
}

/**
 * Takes the next job that is due (queued, or running with its lease run out: its worker died) under a lease. The
 * conditional UPDATE makes one worker win when several ask at once.
 */
export async function claimSyncJob(
  deps: CoreDeps,
  owner: string,
  leaseMs: number,
): Promise<SyncJobRow | null> {
  const now = deps.clock.now();
  const due = await deps.db
    .selectFrom('sync_jobs')
    .select(['id', 'lease_owner', 'lease_until'])
    .where('status', 'in', ['queued', 'running'])
    .where('retry_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', '<=', now), eb('lease_owner', '=', owner)]))
    .orderBy('id')
    .executeTakeFirst();
  if (!due) return null;
  const taken = await deps.db
    .updateTable('sync_jobs')
    .set({ status: 'running', lease_owner: owner, lease_until: now + leaseMs, updated_at: now })
    .where('id', '=', due.id)
    .where('lease_until', '=', due.lease_until)
    .where((eb) =>
      due.lease_owner === null ? eb('lease_owner', 'is', null) : eb('lease_owner', '=', due.lease_owner),
    )
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) === 0) return null;
  return (
    (await deps.db.selectFrom('sync_jobs').selectAll().where('id', '=', due.id).executeTakeFirst()) ?? null
  );
}

/** Writes a job's new state if this worker still holds its lease; false when another took it (this one was stale). */
export async function saveJob(
  deps: CoreDeps,
  job: SyncJobRow,
  owner: string,
  changes: Partial<Omit<SyncJobRow, 'id'>>,
): Promise<boolean> {
  const done = await deps.db
    .updateTable('sync_jobs')
    .set({ ...changes, updated_at: deps.clock.now() })
    .where('id', '=', job.id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}
