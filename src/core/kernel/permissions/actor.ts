import type { AuditEntry } from '../audit.ts';
import type { Viewer } from './scope.ts';

/**
 * Who asks a core function to act. A staff member in a chat or a page, an API token (bound to a staff member, or
 * unbound: an admin), the operator's command line, or the system (timed work). Core functions check role and scope
 * against `viewer` and write `kind`, `staffId` and `via` to the audit log.
 */
export interface Actor {
  kind: AuditEntry['actorKind'];
  /** The staff member acting; null for the unbound API token, the command line and timed work. */
  staffId: number | null;
  /** Their role and data scope now; null: unrestricted (the unbound API token, the command line, the system). */
  viewer: Viewer | null;
  /** The platform the request came through, `api` or `cli`. */
  via: string;
}

/** A staff member acting in a chat on a platform. */
export const staffActor = (viewer: Viewer, via: string): Actor => ({
  kind: 'staff',
  staffId: viewer.staffId,
  viewer,
  via,
});

/** The operator at the command line: unrestricted, audited as the system via `cli`. */
export const cliActor: Actor = { kind: 'system', staffId: null, viewer: null, via: 'cli' };

/** Timed work (schedulers, reconciliations): unrestricted, audited as the system. */
export const systemActor: Actor = { kind: 'system', staffId: null, viewer: null, via: 'system' };

/** The audit fields of an actor. */
export const auditedAs = (a: Actor): Pick<AuditEntry, 'actorKind' | 'actorStaffId' | 'via'> => ({
  actorKind: a.kind,
  actorStaffId: a.staffId,
  via: a.via,
});

/** Whether the actor may manage marketing (segments, campaigns, SOPs, channel codes): managers and above. */
export const mayMarket = (a: Actor): boolean => a.viewer === null || a.viewer.role !== 'rep';

/** Whether the actor may export or erase a customer's data (PIPL / GDPR requests): directors, admins, the operator. */
export const mayHandlePrivacy = (a: Actor): boolean =>
  a.viewer === null || a.viewer.role === 'director' || a.viewer.role === 'admin';

/** Whether the actor may run operator actions (send due digests now, read the inbox): admins and the unrestricted. */
export const mayOperate = (a: Actor): boolean => a.viewer === null || a.viewer.role === 'admin';
