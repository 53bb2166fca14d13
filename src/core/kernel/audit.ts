import type { Insertable, Kysely } from 'kysely';
import { preparedQuery } from '../../../db/prepared.ts';
import type { AuditLogTable, Database } from '../../../db/schema.ts';

export interface AuditEntry {
  actorKind: AuditLogTable['actor_kind'];
  actorStaffId?: number | null;
  action: string;
  subjectKind?: string;
  subjectId?: string | number;
  /** Plain facts for the record; never secrets. */
  detail?: Record<string, unknown>;
  /** The channel: the platform the request came through, or `api`. */
  via?: string;
}

/** Appends to the audit log: who did what to which record, and when. */
export async function audit(db: Kysely<Database>, at: number, e: AuditEntry): Promise<void> {
  await auditEntry.execute(db, {
    at,
    actor_kind: e.actorKind,
    actor_staff_id: e.actorStaffId ?? null,
    action: e.action,
    subject_kind: e.subjectKind ?? null,
    subject_id: e.subjectId === undefined ? null : String(e.subjectId),
    detail: e.detail ? JSON.stringify(e.detail) : null,
    via: e.via ?? (e.actorKind === 'api' ? 'api' : null),
  });
}

const auditEntry = preparedQuery((db, row: Insertable<Database['audit_log']>) =>
  db.insertInto('audit_log').values({
    at: row.at,
    actor_kind: row.actor_kind,
    actor_staff_id: row.actor_staff_id,
    action: row.action,
    subject_kind: row.subject_kind,
    subject_id: row.subject_id,
    detail: row.detail,
    via: row.via,
  }),
);
