import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { refreshSuggestionsForMany } from '../customers/duplicates.ts';
import {
  atomically,
  type ImportSummary,
  type JobOutcome,
  jobById,
  mayImport,
  ownJob,
  rowsBeyondScope,
  viewOf,
} from './import-jobs.ts';
import { type ImportPlan, planImport } from './plan.ts';
import type { ImportRow } from './rows.ts';
import { type UnionIdHome, writeImportPlan } from './write.ts';

/** Rows one step goes through: a step stays well under a second and a Worker's limits. */
export const IMPORT_STEP_ROWS = 100;
/** How long a step holds its job: a step that died leaves it to the next one after this. */
const LEASE_MS = 60_000;

export interface StepOptions {
  /** Where imported WeChat unionids become identities (the platform that reports them). */
  unionIdsOn: UnionIdHome;
  rows?: number;
}

/**
 * Writes the next rows of a running job, as the actor who uploaded it: the rows are planned again against the
 * database as it is now (so a row repeating one of an earlier step merges into the customer that step made), rows
 * that now match customers beyond the actor's scope are skipped, and the rest written with the job's progress in one
 * transaction where the database has them. One step at a time per job (a lease); the last one finishes the job and
 * audits it. Repeating a step after a failure writes nothing twice where the transaction rolled it back.
 */
export async function stepImport(
  deps: CoreDeps,
  actor: Actor,
  jobId: number,
  o: StepOptions,
): Promise<JobOutcome> {
  const { db } = deps;
  if (!mayImport(actor)) return { kind: 'forbidden' };
  const job = await ownJob(db, actor, jobId);
  if (!job) return { kind: 'not_found' };
  if (job.status !== 'running') return { kind: 'job', job: viewOf(job) };
  const now = deps.clock.now();
  const claimed = await db
    .updateTable('import_jobs')
    .set({ lease_until: now + LEASE_MS })
    .where('id', '=', jobId)
    .where('status', '=', 'running')
    .where('lease_until', '<', now)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return { kind: 'job', job: viewOf(job) };
  let written: number[] = [];
  try {
    written = await atomically(db, async (trx) => {
      const rows = await trx
        .selectFrom('import_rows')
        .select(['row', 'data'])
        .where('job_id', '=', jobId)
        .where('row', '>', Number(job.cursor))
        .orderBy('row')
        .limit(o.rows ?? IMPORT_STEP_ROWS)
        .execute();
      const valid = rows.flatMap((r) => (r.data === null ? [] : [JSON.parse(r.data) as ImportRow]));
      let plan = await planImport(trx, valid);
      const beyond = await rowsBeyondScope({ ...deps, db: trx }, actor, plan);
      if (beyond.size > 0)
        plan = await planImport(
          trx,
          valid.filter((r) => !beyond.has(r.row)),
        );
      await dropKnownNotes(trx, plan);
      const ids = await writeImportPlan(trx, plan, {
        now,
        source: `import:${job.file_name}`,
        runKey: `console:${jobId}:${rows[0]?.row ?? 0}`,
        unionIdsOn: o.unionIdsOn,
        firstStage: deps.org.stages[0]?.key ?? 'lead',
      });
      const before = viewOf(job).summary;
      const created = plan.counts.created;
      const summary: ImportSummary = {
        created: before.created + created,
        merged: before.merged + valid.length - beyond.size - created,
        skipped: before.skipped + rows.length - valid.length + beyond.size,
      };
      const done = Number(job.done) + rows.length;
      const finished = rows.length < (o.rows ?? IMPORT_STEP_ROWS) || done >= Number(job.total);
      await trx
        .updateTable('import_jobs')
        .set({
          done,
          cursor: rows.at(-1)?.row ?? Number(job.cursor),
          summary: JSON.stringify(summary),
          updated_at: now,
          lease_until: 0,
          ...(finished ? { status: 'done' as const, finished_at: now } : {}),
        })
        .where('id', '=', jobId)
        .execute();
      if (finished) {
        await trx.deleteFrom('import_rows').where('job_id', '=', jobId).execute();
        // Counts only: the audit log never holds customer data.
        await audit(trx, now, {
          ...auditedAs(actor),
          action: 'customers.imported',
          subjectKind: 'import',
          subjectId: jobId,
          detail: { format: job.format, rows: Number(job.total), ...summary },
        });
      }
      return ids;
    });
  } catch (error) {
    await db
      .updateTable('import_jobs')
      .set({ status: 'failed', last_error: String(error).slice(0, 500), lease_until: 0, updated_at: now })
      .where('id', '=', jobId)
      .execute();
    deps.logger.error({ jobId, error: String(error) }, 'import step failed');
    return { kind: 'job', job: viewOf(await jobById(db, jobId)) };
  }
  // After the commit, as the CLI's import does: duplicate suggestions are advisory, so outside it.
  if (written.length > 0) await refreshSuggestionsForMany({ db }, written, now);
  return { kind: 'job', job: viewOf(await jobById(db, jobId)) };
}

/** Notes an existing customer already has word for word are not added again: the same file imported twice adds none. */
async function dropKnownNotes(db: Kysely<Database>, plan: ImportPlan): Promise<void> {
  const merging = plan.customers.filter((c) => c.existing && c.notes.length > 0);
  if (merging.length === 0) return;
  const known = await db
    .selectFrom('notes')
    .select(['customer_id', 'body'])
    .where(
      'customer_id',
      'in',
      merging.map((c) => c.existing?.id ?? 0),
    )
    .execute();
  const has = new Set(known.map((n) => `${n.customer_id}:${n.body}`));
  for (const c of merging) c.notes = c.notes.filter((body) => !has.has(`${c.existing?.id}:${body}`));
}
