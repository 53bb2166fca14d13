import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import type { StageDefinition } from '../../kernel/runtime.ts';
import { refreshSuggestionsForMany } from '../customers/duplicates.ts';
import type { ColumnMapping } from './columns.ts';
import { type ImportPlan, planImport } from './plan.ts';
import { type CheckedRows, checkRows, type RawRow } from './rows.ts';
import { type UnionIdHome, writeImportPlan } from './write.ts';

export interface ImportOptions {
  stages: readonly StageDefinition[];
  /** Owner of new customers whose rows name none. */
  defaultOwnerId: number | null;
  /** Report only: nothing is written. */
  dryRun: boolean;
  /** Import the valid rows even when some are invalid (otherwise any invalid row stops the whole import). */
  skipInvalid: boolean;
  /** `customers.source` of new customers. */
  source: string;
  /** For the audit log: csv, xlsx or json. */
  format: string;
  unionIdsOn: UnionIdHome;
  now: number;
  /** Unique per run; a random one when absent. */
  runKey?: string;
  onProgress?: (phase: 'matching' | 'writing', done: number, total: number) => void;
}

export interface ImportResult {
  checked: CheckedRows;
  plan: ImportPlan;
  /** True when the rows were written (not a dry run, and not refused for invalid rows). */
  written: boolean;
  /**
   * Pairs of an imported customer and another one sharing a phone, email or name + company after the import
   * (duplicate suggestions, as `/dupes` lists them; the import itself merges only by its own match keys).
   */
  suggested: number;
}

/**
 * Imports customers from a table already read and mapped: every row checked, each matched to a new or existing
 * customer, and the plan written in ONE transaction (SQLite or PostgreSQL; never D1, which has none), so an error
 * part-way leaves the database as it was. With invalid rows and without `skipInvalid`, nothing is written.
 */
export async function importCustomers(
  db: Kysely<Database>,
  headers: string[],
  rows: RawRow[],
  mapping: ColumnMapping,
  o: ImportOptions,
): Promise<ImportResult> {
  const checked = await checkRows(db, headers, rows, mapping, { stages: o.stages });
  const planOptions = {
    defaultOwnerId: o.defaultOwnerId,
    onProgress: (done: number, total: number) => o.onProgress?.('matching', done, total),
  };
  const refused = checked.invalid > 0 && !o.skipInvalid;
  if (o.dryRun || refused) {
    return { checked, plan: await planImport(db, checked.valid, planOptions), written: false, suggested: 0 };
  }
  let writtenIds: number[] = [];
  const plan = await db.transaction().execute(async (trx) => {
    const planned = await planImport(trx, checked.valid, planOptions);
    writtenIds = await writeImportPlan(trx, planned, {
      now: o.now,
      source: o.source,
      runKey: o.runKey ?? crypto.randomUUID(),
      unionIdsOn: o.unionIdsOn,
      firstStage: o.stages[0]?.key ?? 'lead',
      onProgress: (done, total) => o.onProgress?.('writing', done, total),
    });
    // Counts only: the audit log never holds customer data.
    await audit(trx, o.now, {
      actorKind: 'system',
      action: 'customers.imported',
      subjectKind: 'import',
      via: 'cli',
      detail: {
        format: o.format,
        rows: checked.valid.length + checked.invalid,
        created: planned.counts.created,
        mergedRows: planned.counts.mergedRows,
        mergedCustomers: planned.counts.mergedCustomers,
        duplicateRows: planned.counts.duplicateRows,
        invalidSkipped: checked.invalid,
        conflicts: planned.conflicts.length,
        keptApart: planned.phoneClashes.length,
      },
    });
    return planned;
  });
  // After the commit, as platform events do: the same signals, the same suggestions (advisory, so outside it).
  const found = await refreshSuggestionsForMany({ db }, writtenIds, o.now);
  return { checked, plan, written: true, suggested: pairCount(found) };
}

/** Distinct pairs in a partners map (a pair of two imported customers appears under both). */
function pairCount(found: Map<number, Map<number, unknown>>): number {
  const pairs = new Set<string>();
  for (const [id, partners] of found)
    for (const partner of partners.keys()) pairs.add(id < partner ? `${id}:${partner}` : `${partner}:${id}`);
  return pairs.size;
}
