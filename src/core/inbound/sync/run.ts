import type { SyncPhase } from '../../../../db/schema.ts';
import { findChat } from '../../conversations/chats.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type DirectoryBulk, type PlatformAdapter, refusalOf } from '../../ports/adapter.ts';
import { ensureBrandStaff, findStaff } from '../../records/staff/registry.ts';
import { refreshTagCatalog } from '../../records/tags/platform-tags.ts';
import { handleGroupChange } from '../group-change.ts';
import { applyContact, pruneUnseen, stageContacts, stagedAfter } from './contacts.ts';
import { claimSyncJob, emptySummary, type SyncJobRow, type SyncSummary, saveJob } from './jobs.ts';

export interface SyncRunOptions {
  /** Who runs (a lease owner, unique per process). */
  owner: string;
  leaseMs: number;
  /** Backoff after a retryable refusal: base × 2^(attempts − 1), at most max. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Retryable refusals in a row before the job fails. */
  maxAttempts?: number;
}

/** Customers applied per step, groups read per step: a step stays well inside the lease. */
const APPLY_CHUNK = 50;
const GROUP_CHUNK = 20;
const PRUNE_CHUNK = 200;

type Progress = Partial<Record<SyncPhase, { done: number; total?: number }>>;

/** Where a job is, as one step reads and writes it. */
interface State {
  phase: SyncPhase;
  cursor: string;
  members: string[];
  progress: Progress;
  summary: SyncSummary;
}

/**
 * Advances one due sync job by one unit of work (a page read, a chunk stored), saving its cursor after it, so a crash
 * loses at most that unit and redoing it changes nothing. Returns 1 when it worked, 0 when no job was due.
 */
export async function runSyncStep(deps: CoreDeps, o: SyncRunOptions): Promise<number> {
  const job = await claimSyncJob(deps, o.owner, o.leaseMs);
  if (!job) return 0;
  const adapter = deps.adapters.get(job.platform);
  const bulk = adapter?.contacts?.bulk;
  if (!adapter || !bulk || adapter.workspace !== job.workspace) {
    await saveJob(deps, job, o.owner, {
      status: 'failed',
      last_error: 'the platform is not configured, or has no directory',
      lease_owner: null,
      lease_until: 0,
      finished_at: deps.clock.now(),
    });
    return 1;
  }
  const state: State = {
    phase: job.phase,
    cursor: job.cursor,
    members: JSON.parse(job.members) as string[],
    progress: JSON.parse(job.progress) as Progress,
    summary: { ...emptySummary(), ...(JSON.parse(job.summary) as Partial<SyncSummary>) },
  };
  try {
    await advance(deps, adapter, bulk, job, state);
  } catch (error) {
    const refusal = refusalOf(error);
    const attempts = job.attempts + 1;
    const giveUp = !refusal.retryable || attempts >= (o.maxAttempts ?? 12);
    const wait = Math.min(o.retryBaseMs * 2 ** (attempts - 1), o.retryMaxMs);
    deps.logger.warn(
      { job: job.id, phase: job.phase, code: refusal.code, attempts, retryable: refusal.retryable },
      giveUp ? 'sync failed' : 'sync paused by a refusal, will retry',
    );
    await saveJob(deps, job, o.owner, {
      attempts,
      last_error: refusal.message.slice(0, 300),
      lease_owner: null,
      lease_until: 0,
      ...(giveUp
        ? { status: 'failed', finished_at: deps.clock.now() }
        : { retry_at: deps.clock.now() + wait }),
    });
    return 1;
  }
  const finished = state.phase === 'done';
  // What it staged goes (customer data has no business lingering), and whatever a stale worker staged late for
  // an earlier finished job with it.
  if (finished)
    await deps.db
      .deleteFrom('sync_contacts')
      .where('job_id', '<=', job.id)
      .where('job_id', 'not in', (eb) =>
        eb
          .selectFrom('sync_jobs')
          .select('id')
          .where('status', 'in', ['queued', 'running', 'failed'])
          .where('id', '!=', job.id),
      )
      .execute();
  await saveJob(deps, job, o.owner, {
    phase: state.phase,
    cursor: state.cursor,
    members: JSON.stringify(state.members),
    progress: JSON.stringify(state.progress),
    summary: JSON.stringify(state.summary),
    attempts: 0,
    retry_at: 0,
    last_error: null,
    ...(finished ? { status: 'done', finished_at: deps.clock.now(), lease_owner: null, lease_until: 0 } : {}),
  });
  return 1;
}

async function advance(
  deps: CoreDeps,
  adapter: PlatformAdapter,
  bulk: DirectoryBulk,
  job: SyncJobRow,
  s: State,
): Promise<void> {
  const now = deps.clock.now();
  const jobId = Number(job.id);
  const bump = (phase: SyncPhase, by: number, total?: number) => {
    const p = s.progress[phase] ?? { done: 0 };
    s.progress[phase] = {
      done: p.done + by,
      ...(total !== undefined ? { total } : p.total !== undefined ? { total: p.total } : {}),
    };
  };
  const next = (phase: SyncPhase) => {
    s.phase = phase;
    s.cursor = '';
  };
  switch (s.phase) {
    case 'members': {
      s.members = await bulk.listMembers();
      for (const id of s.members) {
        const person = { externalId: id, workspace: adapter.peopleWorkspace };
        const known = await findStaff(deps.db, { platform: adapter.platform, ...person });
        if (!known) {
          await ensureBrandStaff(deps.db, adapter.platform, person, now);
          s.summary.membersAdded++;
        }
      }
      s.summary.membersSeen = s.members.length;
      bump('members', s.members.length, s.members.length);
      return next('tags');
    }
    case 'tags':
      await refreshTagCatalog(deps, adapter.platform, adapter.workspace);
      bump('tags', 1, 1);
      return next('contacts');
    case 'contacts': {
      const { batch, cursor } = readCursor(s.cursor);
      const members = s.members.slice(batch * bulk.membersPerCall, (batch + 1) * bulk.membersPerCall);
      if (members.length === 0) return next('apply');
      const page = await bulk.listContacts(members, cursor);
      await stageContacts(deps, jobId, page.items);
      s.summary.contactsSeen += page.items.length;
      bump('contacts', page.items.length);
      s.cursor = page.nextCursor ? cursorText(batch, page.nextCursor) : cursorText(batch + 1, '');
      return;
    }
    case 'apply': {
      if (s.progress.apply?.total === undefined) {
        const total = await deps.db
          .selectFrom('sync_contacts')
          .select((eb) => eb.fn.count<number>('external_id').distinct().as('n'))
          .where('job_id', '=', jobId)
          .executeTakeFirstOrThrow();
        bump('apply', 0, Number(total.n));
      }
      const profiles = await stagedAfter(deps, jobId, s.cursor, APPLY_CHUNK);
      if (profiles.length === 0) return next('prune');
      const members = new Set(s.members);
      for (const p of profiles) await applyContact(deps, adapter, p, members, s.summary);
      s.cursor = profiles.at(-1)?.externalId ?? s.cursor;
      bump('apply', profiles.length);
      return;
    }
    case 'prune': {
      const lost = await pruneUnseen(deps, adapter, jobId, s.members, PRUNE_CHUNK);
      s.summary.relationsLost += lost;
      if (lost < PRUNE_CHUNK) next('groups');
      return;
    }
    case 'groups': {
      const { batch, cursor, offset } = readCursor(s.cursor);
      const members = s.members.slice(batch * bulk.membersPerCall, (batch + 1) * bulk.membersPerCall);
      if (members.length === 0) return next('done');
      const page = await bulk.listGroups(members, cursor);
      const chunk = page.items.slice(offset, offset + GROUP_CHUNK);
      for (const chat of chunk) {
        const known = await findChat(deps.db, adapter.platform, adapter.workspace, chat.key);
        const counts = await handleGroupChange(
          deps,
          {
            kind: 'group',
            change: 'updated',
            platform: adapter.platform,
            workspace: adapter.workspace,
            occurredAt: now,
            chat,
          },
          `sync:${adapter.platform}:${adapter.workspace}:${chat.key}:${now}`,
        );
        s.summary.groupsSeen++;
        if (!known) s.summary.groupsAdded++;
        s.summary.groupMembersJoined += counts.joined;
        s.summary.groupMembersLeft += counts.left;
      }
      bump('groups', chunk.length);
      const end = offset + chunk.length;
      s.cursor =
        end < page.items.length
          ? cursorText(batch, cursor, end)
          : page.nextCursor
            ? cursorText(batch, page.nextCursor)
            : cursorText(batch + 1, '');
      return;
    }
    case 'done':
      return;
  }
}

/** `batch|platform cursor|offset in the page`: which slice of members, where in their pages. */
function readCursor(text: string): { batch: number; cursor: string; offset: number } {
  if (!text) return { batch: 0, cursor: '', offset: 0 };
  const first = text.indexOf('|');
  const last = text.lastIndexOf('|');
  return {
    batch: Number(text.slice(0, first)),
    cursor: text.slice(first + 1, last),
    offset: Number(text.slice(last + 1)) || 0,
  };
}

const cursorText = (batch: number, cursor: string, offset = 0) => `${batch}|${cursor}|${offset}`;
