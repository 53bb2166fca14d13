import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { AuditLogTable, Database } from '../../../../db/schema.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import { maskText } from '../../kernel/permissions/mask.ts';
import { managedStaffIds } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { closeDateOf, closeDateStart } from '../../kernel/time/calendar-day.ts';

/** What the audit log screen asks for: filters, a page after a cursor. */
export interface AuditLogFilters {
  /** Entries by this staff member. */
  actorStaffId?: number;
  /** An action (`staff.updated`), or every action under a prefix ending in a dot (`customer.`). */
  action?: string;
  /** Entries about this customer. */
  customerId?: number;
  /** First and last calendar day (`2026-12-01`), inclusive, in the organisation's time zone. */
  from?: string;
  to?: string;
  /** The previous page's `nextCursor`. */
  after?: string;
  limit: number;
}

/** An entry as people read it: who, what, when, about which customer, and its details as plain key and text. */
export interface AuditLogItem {
  id: number;
  at: number;
  actor: { kind: AuditLogTable['actor_kind']; staffId: number | null; name: string | null };
  via: string | null;
  action: string;
  subject: { kind: string; id: string } | null;
  /** The customer the entry is about; `name` null when the reader does not reach them (or they are gone). */
  customer: { id: number; name: string | null } | null;
  /** Each detail as text; contact data masked, secret-looking fields withheld. Customer text: show as text only. */
  details: Array<{ key: string; value: string }>;
}

export type AuditLogOutcome =
  | { kind: 'page'; items: AuditLogItem[]; nextCursor: string | null }
  | { kind: 'not_allowed' | 'bad_cursor' | 'bad_date' };

/** Detail fields never shown, whatever a writer put there (robot URLs, tokens). */
const WITHHELD = /token|secret|password|signature|cookie|url/i;
const WITHHELD_TEXT = '•••';

type Eb = ExpressionBuilder<Database, 'audit_log'>;

/**
 * Which audit entries an actor reads (the console's audit log):
 * - admins, directors and the unrestricted: every entry;
 * - managers: entries by staff they manage (their team's subtree, and themselves) and entries about customers owned
 *   by those staff now (`subject_kind` customer);
 * - reps: none (`null`; the log is for managers and above).
 * Returns the WHERE condition, `true` for every entry.
 */
export async function auditVisibility(
  db: Kysely<Database>,
  actor: Actor,
): Promise<((eb: Eb) => Expression<SqlBool>) | true | null> {
  const viewer = actor.viewer;
  if (viewer === null) return true;
  if (viewer.role === 'rep') return null;
  const managed = await managedStaffIds(db, viewer);
  if (managed === null) return true;
  const staff = managed.length > 0 ? managed : [-1];
  return (eb) =>
    eb.or([
      eb('audit_log.actor_staff_id', 'in', staff),
      eb.and([
        eb('audit_log.subject_kind', '=', 'customer'),
        eb(
          'audit_log.subject_id',
          'in',
          db
            .selectFrom('customers')
            .select(sql<string>`cast(customers.id as text)`.as('id'))
            .where('customers.owner_staff_id', 'in', staff),
        ),
      ]),
    ]);
}

/**
 * A page of the audit log the actor reads, newest first, by keyset on (time, id): every entry once across pages
 * however many are written meanwhile. Filters narrow it; a rep is refused.
 */
export async function auditLogPage(
  deps: Pick<CoreDeps, 'db' | 'org'>,
  actor: Actor,
  f: AuditLogFilters,
): Promise<AuditLogOutcome> {
  const { db } = deps;
  const visible = await auditVisibility(db, actor);
  if (visible === null) return { kind: 'not_allowed' };
  const cursor = f.after === undefined ? null : parseCursor(f.after);
  if (cursor === 'bad') return { kind: 'bad_cursor' };
  const since = f.from === undefined ? null : closeDateStart(f.from, deps.org.timeZone);
  const untilDay = f.to === undefined ? null : closeDateStart(f.to, deps.org.timeZone);
  if ((f.from !== undefined && since === null) || (f.to !== undefined && untilDay === null))
    return { kind: 'bad_date' };
  // The end of the last day: the start of the next one (found from 36 h later, whatever DST does).
  const until =
    untilDay === null ? null : closeDateStart(nextDay(untilDay, deps.org.timeZone), deps.org.timeZone);

  let q = db
    .selectFrom('audit_log')
    .leftJoin('staff', 'staff.id', 'audit_log.actor_staff_id')
    .select([
      'audit_log.id',
      'audit_log.at',
      'audit_log.actor_kind',
      'audit_log.actor_staff_id',
      'audit_log.via',
      'audit_log.action',
      'audit_log.subject_kind',
      'audit_log.subject_id',
      'audit_log.detail',
      'staff.display_name as actor_name',
    ]);
  if (visible !== true) q = q.where(visible);
  if (f.actorStaffId !== undefined) q = q.where('audit_log.actor_staff_id', '=', f.actorStaffId);
  const action = f.action?.trim();
  // A prefix is letters, digits, dots and underscores (an underscore matching any one letter is harmless there).
  if (action?.endsWith('.') && /^[a-z0-9_.]+$/i.test(action))
    q = q.where('audit_log.action', 'like', `${action}%`);
  else if (action) q = q.where('audit_log.action', '=', action);
  if (f.customerId !== undefined)
    q = q
      .where('audit_log.subject_kind', '=', 'customer')
      .where('audit_log.subject_id', '=', String(f.customerId));
  if (since !== null) q = q.where('audit_log.at', '>=', since);
  if (until !== null) q = q.where('audit_log.at', '<', until);
  if (cursor) {
    const [at, id] = cursor;
    q = q.where((eb) =>
      eb.or([
        eb('audit_log.at', '<', at),
        eb.and([eb('audit_log.at', '=', at), eb('audit_log.id', '<', id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  const names = await customerNames(db, actor, page);
  const items = page.map((r): AuditLogItem => {
    const customerId = r.subject_kind === 'customer' ? Number(r.subject_id) : Number.NaN;
    return {
      id: Number(r.id),
      at: Number(r.at),
      actor: {
        kind: r.actor_kind,
        staffId: r.actor_staff_id === null ? null : Number(r.actor_staff_id),
        name: r.actor_name ?? null,
      },
      via: r.via,
      action: r.action,
      subject: r.subject_kind === null ? null : { kind: r.subject_kind, id: r.subject_id ?? '' },
      customer: Number.isSafeInteger(customerId)
        ? { id: customerId, name: names.get(customerId) ?? null }
        : null,
      details: readableDetails(r.detail),
    };
  });
  const last = page.at(-1);
  const nextCursor = rows.length > f.limit && last ? `${Number(last.at)}-${Number(last.id)}` : null;
  return { kind: 'page', items, nextCursor };
}

/** The names of the page's customers the actor reaches (a manager: their teams' and the pool's). */
async function customerNames(
  db: Kysely<Database>,
  actor: Actor,
  rows: Array<{ subject_kind: string | null; subject_id: string | null }>,
): Promise<Map<number, string>> {
  const ids = [
    ...new Set(
      rows
        .filter((r) => r.subject_kind === 'customer')
        .map((r) => Number(r.subject_id))
        .filter(Number.isSafeInteger),
    ),
  ];
  if (ids.length === 0) return new Map();
  const managed = actor.viewer ? await managedStaffIds(db, actor.viewer) : null;
  const found = await db
    .selectFrom('customers')
    .select(['id', 'display_name', 'owner_staff_id'])
    .where('id', 'in', ids)
    .execute();
  return new Map(
    found
      .filter(
        (c) => managed === null || c.owner_staff_id === null || managed.includes(Number(c.owner_staff_id)),
      )
      .map((c) => [Number(c.id), c.display_name]),
  );
}

/** A stored detail (JSON text) as key and text pairs, contact data masked, secret-looking fields withheld. */
export function readableDetails(detail: string | null): Array<{ key: string; value: string }> {
  if (detail === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return [{ key: '', value: maskText(detail) }];
  }
  const entries =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? Object.entries(parsed as Record<string, unknown>)
      : [['', parsed] as const];
  return entries.map(([key, v]) => ({
    key,
    value: WITHHELD.test(key) ? WITHHELD_TEXT : maskText(textOf(v)),
  }));
}

function textOf(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
  return JSON.stringify(v, (k, x) => (k && WITHHELD.test(k) ? WITHHELD_TEXT : x));
}

function parseCursor(after: string): [number, number] | 'bad' {
  const m = /^(\d{1,16})-(\d{1,16})$/.exec(after);
  if (!m) return 'bad';
  const at = Number(m[1]);
  const id = Number(m[2]);
  return Number.isSafeInteger(at) && Number.isSafeInteger(id) ? [at, id] : 'bad';
}

/** The calendar day after the one starting at `dayStart`, as `YYYY-MM-DD` in the time zone. */
const nextDay = (dayStart: number, timeZone: string): string =>
  closeDateOf(dayStart + 36 * 3_600_000, timeZone);
