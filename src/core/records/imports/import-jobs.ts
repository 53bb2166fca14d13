import type { Kysely, Selectable } from 'kysely';
import type { Database, ImportJobTable } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { customerScope } from '../../kernel/permissions/scope.ts';
import { managedStaffIds } from '../../kernel/permissions/staff-scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { problemText, type ValueProblem } from '../customers/values.ts';
import { mapColumns } from './columns.ts';
import { type ImportPlan, planImport } from './plan.ts';
import { checkRows, type ImportRow, type RawRow, type RowProblem } from './rows.ts';

/** Rows one uploaded file may have: more is a job for `liaison import` on the server. */
export const IMPORT_MAX_ROWS = 50_000;
/** Problems the preview lists by row (all are counted). */
const LISTED_PROBLEMS = 200;
const INSERT_BATCH = 200;

/** A table read from an uploaded file (src/lib/table-bytes.ts reads it; the core never sees the bytes). */
export interface UploadedTable {
  format: string;
  headers: string[];
  rows: RawRow[];
}

/** What the console shows before anything is written: the plan, counted, and the rows that will be skipped. */
export interface ImportPreview {
  rows: number;
  created: number;
  /** Existing customers the rows match (merged into: empty fields filled, tags and notes added). */
  matched: number;
  /** Of those, the ones the import changes. */
  updated: number;
  /** Rows that are the same person as an earlier row of the file. */
  duplicates: number;
  invalid: number;
  problems: RowProblem[];
  /** Columns the file has that no field takes. */
  unknownColumns: string[];
  conflicts: number;
  /** When this very file (same bytes) was imported before, and by which job. */
  importedBefore: { jobId: number; at: number } | null;
}

export interface ImportSummary {
  created: number;
  merged: number;
  skipped: number;
}

/** An import job as the console shows it. */
export interface ImportJobView {
  id: number;
  fileName: string;
  format: string;
  status: ImportJobTable['status'];
  total: number;
  done: number;
  preview: ImportPreview;
  summary: ImportSummary;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export type PreviewOutcome =
  | { kind: 'previewed'; job: ImportJobView }
  | { kind: 'forbidden' }
  | { kind: 'empty' }
  | { kind: 'too_many_rows'; max: number }
  | { kind: 'no_name_column' }
  | { kind: 'bad_columns'; problems: string[] };

export interface PreviewInput {
  table: UploadedTable;
  fileName: string;
  /** SHA-256 of the file's bytes (hex). */
  digest: string;
}

/** Whether the actor may import and export from the console: managers and above (and the unrestricted). */
export const mayImport = (a: Actor): boolean => a.viewer === null || a.viewer.role !== 'rep';

/**
 * Plans an uploaded table as the actor would write it and keeps it as a job, writing no customer: columns mapped by
 * their headers, every row checked, owners limited to the staff the actor manages, rows matching customers beyond the
 * actor's scope refused, and the rest matched (phone, unionid, name + company) to new or existing customers. Keyed by
 * `key`: a retried upload returns the job it made.
 */
export async function previewImport(
  deps: CoreDeps,
  actor: Actor,
  input: PreviewInput,
  key: string,
): Promise<PreviewOutcome> {
  const { db } = deps;
  if (!mayImport(actor)) return { kind: 'forbidden' };
  const known = await jobByKey(db, key);
  if (known && known.staff_id === actor.staffId) return { kind: 'previewed', job: viewOf(known) };
  const { headers, rows } = input.table;
  if (rows.length > IMPORT_MAX_ROWS) return { kind: 'too_many_rows', max: IMPORT_MAX_ROWS };
  const mapping = mapColumns(headers, new Map());
  if (![...mapping.fields.values()].includes('name')) return { kind: 'no_name_column' };
  if (mapping.problems.length > 0) return { kind: 'bad_columns', problems: mapping.problems };
  const checked = await checkRows(db, headers, rows, mapping, { stages: deps.org.stages });
  const problems = [...checked.problems];
  let valid = checked.valid;
  const managed = actor.viewer ? await managedStaffIds(db, actor.viewer) : null;
  if (managed) {
    const ownerHeader = headers[[...mapping.fields].find(([, f]) => f === 'owner')?.[0] ?? -1] ?? 'owner';
    const outside = valid.filter((r) => r.ownerStaffId !== null && !managed.includes(r.ownerStaffId));
    for (const r of outside)
      problems.push({ row: r.row, column: ownerHeader, value: '', ...OWNER_OUT_OF_REACH });
    valid = valid.filter((r) => !outside.includes(r));
  }
  let plan = await planImport(db, valid);
  const beyond = await rowsBeyondScope(deps, actor, plan);
  if (beyond.size > 0) {
    for (const row of beyond) problems.push({ row, column: '', value: '', ...CUSTOMER_OUT_OF_REACH });
    valid = valid.filter((r) => !beyond.has(r.row));
    plan = await planImport(db, valid);
  }
  const invalidRows = new Set(problems.map((p) => p.row));
  const total = valid.length + invalidRows.size;
  if (total === 0) return { kind: 'empty' };
  problems.sort((a, b) => a.row - b.row);
  const before = await db
    .selectFrom('import_jobs')
    .select(['id', 'finished_at'])
    .where('digest', '=', input.digest)
    .where('status', '=', 'done')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const preview: ImportPreview = {
    rows: total,
    ...previewCounts(plan),
    invalid: invalidRows.size,
    problems: problems.slice(0, LISTED_PROBLEMS),
    unknownColumns: mapping.unknown,
    conflicts: plan.conflicts.length + plan.phoneClashes.length,
    importedBefore: before ? { jobId: Number(before.id), at: Number(before.finished_at) } : null,
  };
  const now = deps.clock.now();
  const job = await atomically(db, async (trx) => {
    const inserted = await trx
      .insertInto('import_jobs')
      .values({
        staff_id: actor.staffId ?? 0,
        request_key: key,
        file_name: input.fileName.slice(0, 200),
        format: input.table.format,
        digest: input.digest,
        status: 'previewed',
        total,
        preview: JSON.stringify(preview),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const jobId = Number(inserted.id);
    const stored = [
      ...valid.map((r) => ({ job_id: jobId, row: r.row, data: JSON.stringify(r) })),
      ...[...invalidRows].map((row) => ({ job_id: jobId, row, data: null })),
    ];
    for (let i = 0; i < stored.length; i += INSERT_BATCH)
      await trx
        .insertInto('import_rows')
        .values(stored.slice(i, i + INSERT_BATCH))
        .execute();
    // Counts only: the audit log never holds customer data.
    await audit(trx, now, {
      ...auditedAs(actor),
      action: 'customers.import_previewed',
      subjectKind: 'import',
      subjectId: jobId,
      detail: { format: input.table.format, rows: total, created: preview.created, invalid: preview.invalid },
    });
    return jobId;
  });
  return { kind: 'previewed', job: viewOf(await jobById(db, job)) };
}

/** Reasons of the scope checks, as the checks of rows.ts give theirs. */
const outOfReach = (code: 'owner_out_of_reach' | 'customer_out_of_reach') => {
  const problem: ValueProblem = { code };
  return { reason: problemText(problem, 'en'), problem };
};
export const OWNER_OUT_OF_REACH = outOfReach('owner_out_of_reach');
export const CUSTOMER_OUT_OF_REACH = outOfReach('customer_out_of_reach');

/** The preview's counts of a plan. */
function previewCounts(plan: ImportPlan) {
  const existing = plan.customers.filter((c) => c.existing);
  return {
    created: plan.counts.created,
    matched: existing.length,
    updated: existing.filter(
      (c) => c.filled.length > 0 || c.tags.length > 0 || c.notes.length > 0 || c.unionIds.length > 0,
    ).length,
    duplicates: plan.counts.duplicateRows,
  };
}

/** The rows of a plan that merge into customers the actor may not see (they are refused, not merged). */
export async function rowsBeyondScope(deps: CoreDeps, actor: Actor, plan: ImportPlan): Promise<Set<number>> {
  const ids = plan.customers.flatMap((c) => (c.existing ? [c.existing.id] : []));
  const scope = actor.viewer ? customerScope(deps.db, actor.viewer) : null;
  if (ids.length === 0 || !scope) return new Set();
  const seen = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await deps.db
      .selectFrom('customers')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .where(scope)
      .execute();
    for (const r of rows) seen.add(Number(r.id));
  }
  return new Set(
    plan.customers.flatMap((c) =>
      c.existing && !seen.has(c.existing.id) ? c.rows.map((r: ImportRow) => r.row) : [],
    ),
  );
}

export type JobOutcome = { kind: 'job'; job: ImportJobView } | { kind: 'not_found' | 'forbidden' };

/** An import job of the actor's (each person sees and runs only their own uploads). */
export async function importJob(deps: CoreDeps, actor: Actor, jobId: number): Promise<JobOutcome> {
  if (!mayImport(actor)) return { kind: 'forbidden' };
  const row = await ownJob(deps.db, actor, jobId);
  return row ? { kind: 'job', job: viewOf(row) } : { kind: 'not_found' };
}

/** The actor's latest import jobs, newest first (the console resumes a running one). */
export async function recentImportJobs(deps: CoreDeps, actor: Actor, limit = 10): Promise<ImportJobView[]> {
  if (!mayImport(actor)) return [];
  const rows = await deps.db
    .selectFrom('import_jobs')
    .selectAll()
    .where('staff_id', '=', actor.staffId ?? 0)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(viewOf);
}

/** Starts writing a previewed job (the steps then write it); a job already started or over is left as it is. */
export async function startImport(deps: CoreDeps, actor: Actor, jobId: number): Promise<JobOutcome> {
  if (!mayImport(actor)) return { kind: 'forbidden' };
  const row = await ownJob(deps.db, actor, jobId);
  if (!row) return { kind: 'not_found' };
  if (row.status === 'previewed') {
    const now = deps.clock.now();
    await deps.db
      .updateTable('import_jobs')
      .set({ status: 'running', updated_at: now })
      .where('id', '=', jobId)
      .where('status', '=', 'previewed')
      .execute();
    await audit(deps.db, now, {
      ...auditedAs(actor),
      action: 'customers.import_started',
      subjectKind: 'import',
      subjectId: jobId,
    });
  }
  return { kind: 'job', job: viewOf(await jobById(deps.db, jobId)) };
}

export async function ownJob(db: Kysely<Database>, actor: Actor, jobId: number) {
  return db
    .selectFrom('import_jobs')
    .selectAll()
    .where('id', '=', jobId)
    .where('staff_id', '=', actor.staffId ?? 0)
    .executeTakeFirst();
}

export const jobById = (db: Kysely<Database>, id: number) =>
  db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const jobByKey = (db: Kysely<Database>, key: string) =>
  db.selectFrom('import_jobs').selectAll().where('request_key', '=', key).executeTakeFirst();

export function viewOf(r: Selectable<ImportJobTable>): ImportJobView {
  return {
    id: Number(r.id),
    fileName: r.file_name,
    format: r.format,
    status: r.status,
    total: Number(r.total),
    done: Number(r.done),
    preview: JSON.parse(r.preview) as ImportPreview,
    summary: { created: 0, merged: 0, skipped: 0, ...(JSON.parse(r.summary) as Partial<ImportSummary>) },
    error: r.last_error,
    createdAt: Number(r.created_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  };
}

/**
 * Runs `work` in one transaction where the database has them (SQLite, PostgreSQL); on D1, which refuses to begin
 * one, statement by statement (the steps are written to be repeated safely).
 */
export async function atomically<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  let began = false;
  try {
    return await db.transaction().execute((trx) => {
      began = true;
      return work(trx);
    });
  } catch (error) {
    if (began || !/transactions? (are|is) not supported/i.test(String(error))) throw error;
    return work(db);
  }
}
