import type { Generated } from 'kysely';

// Directory syncs: a platform's whole contact book read into Liaison, resumable from its cursor.

export type SyncStatus = 'queued' | 'running' | 'done' | 'failed';
export type SyncPhase = 'members' | 'tags' | 'contacts' | 'apply' | 'prune' | 'groups' | 'done';

/** One sync run of one platform installation. */
export interface SyncJobTable {
  id: Generated<number>;
  platform: string;
  workspace: string;
  status: SyncStatus;
  phase: SyncPhase;
  /** Where the phase stands: the platform's page cursor, or the last external id applied. */
  cursor: string;
  /** The staff member ids the platform listed (JSON array), read in the first phase and paged over after. */
  members: string;
  /** JSON: per phase, `{ done, total? }`. */
  progress: string;
  /** JSON: what changed, counted (customers created, updated, relations lost, tags, groups…). */
  summary: string;
  /** Retryable refusals in a row (45009 and friends); reset by a page that went through. */
  attempts: number;
  /** Not before this time (epoch ms): the backoff after a refusal. */
  retry_at: number;
  lease_owner: string | null;
  lease_until: number;
  last_error: string | null;
  /** Who asked: `cli`, `api`, `system` (the nightly reconciliation). */
  requested_via: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** A (customer, follower) pair a sync read from the platform, staged until the paging is over. */
export interface SyncContactTable {
  job_id: number;
  external_id: string;
  member_id: string;
  /** The customer as the platform described them with this one follower (JSON `ContactProfile`). */
  profile: string;
}
