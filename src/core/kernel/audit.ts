import type { Insertable, Kysely } from 'kysely';
import { preparedQuery } from '../../../db/prepared.ts';
import type { AuditLogTable, Database } from '../../../db/schema.ts';
import { append } from './appends.ts';

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

/**
 * Appends to the audit log: who did what to which record, and when. Within an inbox transaction the entry is written
 * with the transaction's others, just before it commits (appends.ts).
 */
export async function audit(db: Kysely<Database>, at: number, e: AuditEntry): Promise<void> {
  await append(
    db,
    'audit',
    {
      at,
      actor_kind: e.actorKind,
      actor_staff_id: e.actorStaffId ?? null,
      action: e.action,
      subject_kind: e.subjectKind ?? null,
      subject_id: e.subjectId === undefined ? null : String(e.subjectId),
      detail: e.detail ? JSON.stringify(e.detail) : null,
      via: e.via ?? (e.actorKind === 'api' ? 'api' : null),
    },
    writeAuditEntries,
  );
}

/** Audit rows a statement takes: 8 values each, well within every database's bound-parameter limit. */
const ENTRIES_PER_INSERT = 100;

async function writeAuditEntries(db: Kysely<Database>, rows: AuditRow[]): Promise<void> {
  if (rows.length === 1) {
    await auditEntry.execute(db, rows[0] as AuditRow);
    return;
  }
  for (let i = 0; i < rows.length; i += ENTRIES_PER_INSERT)
    await db
      .insertInto('audit_log')
      .values(rows.slice(i, i + ENTRIES_PER_INSERT))
      .execute();
}

type AuditRow = Insertable<Database['audit_log']>;

const auditEntry = preparedQuery((db, row: AuditRow) =>
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
