import type { Platform } from '../../../db/schema.ts';
import type { AuditEntry } from '../audit.ts';

/** Who changes a customer record, and through which channel: a staff member in a chat, or the integration API. */
export interface ChangeActor {
  kind: 'staff' | 'api';
  /** The staff member acting; an API token bound to a staff member acts as them. Absent for an unbound token. */
  staffId?: number;
  /** The chat platform the request came through; absent for the API (audited as via `api`). */
  via?: Platform;
}

/** Liaison itself changing a record (an exact identity match linking two records), on an event from `via`. */
export interface SystemActor {
  kind: 'system';
  staffId?: undefined;
  via?: Platform;
}

/** The audit log's actor fields for a change. */
export const auditedActor = (
  a: ChangeActor | SystemActor,
): Pick<AuditEntry, 'actorKind' | 'actorStaffId' | 'via'> => ({
  actorKind: a.kind,
  actorStaffId: a.staffId ?? null,
  ...(a.via ? { via: a.via } : {}),
});
