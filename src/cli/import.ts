import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { stageName } from '../core/records/customers/stages.ts';
import { type ColumnTarget, mapColumns, parseColumnMap } from '../core/records/imports/columns.ts';
import { type ImportResult, importCustomers } from '../core/records/imports/import-customers.ts';
import type { MatchKey } from '../core/records/imports/match.ts';
import type { Conflict, PhoneClash, RowOutcome } from '../core/records/imports/plan.ts';
import { resolveOwners } from '../core/records/imports/rows.ts';
import { listStaffMembers } from '../core/records/staff/listing.ts';
import type { CliCommand, CliContext } from './command.ts';
import { type Progress, startProgress } from './progress-bar.ts';
import { formatOf, readTable } from './read-table.ts';

const usage = [
  'Usage: liaison import <file.csv|file.xlsx|file.json> [--map "列名=field,…"] [--dry-run] [--skip-invalid]',
  '                      [--owner <staff>]',
  '',
  'Imports customers from a spreadsheet: CSV (UTF-8 or GBK; comma, tab or semicolon), the first sheet of an .xlsx',
  'workbook, or a JSON array (what `liaison export` writes). The first row names the columns; common Chinese and',
  'English headers are recognised: 姓名/name, 公司/company, 手机/电话/phone/mobile, 邮箱/email, 阶段/stage,',
  '负责人/owner, 标签/tags, unionid, 备注/note. Other columns are left out (and listed).',
  '',
  'Rows that are the same person as an existing customer, or as an earlier row, merge into that customer: matched',
  'by phone, then unionid, then name + company. A merge fills empty fields and adds tags and notes; it never',
  'replaces an owner or a stage (differences are listed as conflicts). A phone shared under clearly different',
  'names (刘洋 and 王芳) merges nothing: the row is kept apart, listed as a conflict, and /dupes offers the pair.',
  '',
  '  --map "手机号码=phone,客户=name"  Says which column holds which field (name company phone email stage owner',
  '                                  tags unionid note, or ignore), over the recognised headers.',
  '  --dry-run         Report what would be created, merged and refused; write nothing.',
  '  --skip-invalid    Import the valid rows and list the invalid ones (default: any invalid row stops the import).',
  '  --owner <staff>   Owner of new customers whose row names none (a name, @username or platform:userId).',
  '',
  'Everything is written in one transaction: an error part-way leaves the database as it was. Audited.',
].join('\n');

/** Shown when a file has more rows than this: below it, the import is over before a bar would help. */
const PROGRESS_FROM_ROWS = 1000;

/** `liaison import <file>`: customers from CSV, XLSX or JSON, checked, deduplicated and written all or nothing. */
export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import customers from a CSV, XLSX or JSON file (deduplicated; --dry-run to preview)',
  usage,
  async run(args, ctx) {
    let parsed: ReturnType<typeof parseImportArgs>;
    try {
      parsed = parseImportArgs(args);
    } catch (error) {
      ctx.err(`liaison import: ${(error as Error).message}`);
      ctx.err(usage);
      return 2;
    }
    const { file, overrides, dryRun, skipInvalid, owner } = parsed;
    const format = formatOf(file);
    if (!format) {
      ctx.err(`liaison import: ${file} is not a .csv, .xlsx or .json file`);
      return 2;
    }
    if (!existsSync(file)) {
      ctx.err(`liaison import: there is no file ${file}`);
      return 1;
    }
    let defaultOwnerId: number | null = null;
    if (owner) {
      const found = (await resolveOwners(ctx.db, new Set([owner]))).get(owner);
      if (!found?.ok) {
        ctx.err(`liaison import: --owner ${owner}: ${found?.reason ?? 'unknown'}`);
        return 1;
      }
      defaultOwnerId = found.value;
    }
    const table = await readTable(file, format).catch((error: Error) => error);
    if (table instanceof Error) {
      ctx.err(`liaison import: cannot read ${file}: ${table.message}`);
      return 1;
    }
    const mapping = mapColumns(table.headers, overrides);
    if (mapping.problems.length > 0) {
      for (const p of mapping.problems) ctx.err(`liaison import: ${p}`);
      return 1;
    }
    if (mapping.unknown.length > 0)
      ctx.err(`Columns not imported: ${mapping.unknown.join(', ')} (map them with --map "<column>=<field>")`);
    const progress = new Map<string, Progress>();
    const long = table.rows.length >= PROGRESS_FROM_ROWS;
    const result = await importCustomers(ctx.db, table.headers, table.rows, mapping, {
      stages: ctx.config.org.stages,
      defaultOwnerId,
      dryRun,
      skipInvalid,
      source: `import:${basename(file)}`,
      format,
      // WeCom reports WeChat unionids: imported ones are kept as identities of its corp.
      unionIdsOn: { platform: 'wecom', workspace: ctx.config.wecom?.corpId ?? '' },
      now: ctx.now(),
      onProgress: long
        ? (phase, done, total) => {
            const bar = progress.get(phase) ?? startProgress(ctx, phase);
            progress.set(phase, bar);
            bar.update(done, total);
            if (done >= total) bar.stop();
          }
        : undefined,
    })
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        for (const bar of progress.values()) bar.stop();
      });
    if (result instanceof Error) {
      ctx.err(
        `liaison import: the import failed and was rolled back, nothing was written: ${result.message}`,
      );
      return 1;
    }
    return report(ctx, result, { dryRun, skipInvalid, item: format === 'json' ? 'item' : 'row' });
  },
};

function parseImportArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: {
      map: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'skip-invalid': { type: 'boolean' },
      owner: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [file, extra] = positionals;
  if (!file) throw new Error('which file? liaison import <file>');
  if (extra) throw new Error(`unexpected "${extra}"`);
  const overrides: Map<string, ColumnTarget> = values.map ? parseColumnMap(values.map) : new Map();
  return {
    file,
    overrides,
    dryRun: values['dry-run'] === true,
    skipInvalid: values['skip-invalid'] === true,
    owner: values.owner,
  };
}

/** Prints the outcome: per-row lines in a dry run, problems and conflicts on stderr, then the counts. */
async function report(
  ctx: CliContext,
  { checked, plan, written, suggested }: ImportResult,
  o: { dryRun: boolean; skipInvalid: boolean; item: string },
): Promise<number> {
  const staff = new Map((await listStaffMembers(ctx.db, null)).map((s) => [s.id, s.name]));
  const rowsByNumber = new Map(checked.valid.map((r) => [r.row, r]));
  if (o.dryRun) {
    for (const outcome of plan.outcomes)
      ctx.out(describeOutcome(outcome, rowsByNumber.get(outcome.row)?.name, o.item));
  }
  for (const p of checked.problems)
    ctx.err(`${o.item} ${p.row}, column ${p.column}${p.value ? ` "${p.value}"` : ''}: ${p.reason}`);
  for (const c of plan.conflicts) ctx.err(describeConflict(ctx, c, staff, o.item));
  const outcomes = new Map(plan.outcomes.map((outcome) => [outcome.row, outcome]));
  const would = written ? '' : 'would be ';
  for (const c of plan.phoneClashes) ctx.err(describeClash(c, outcomes.get(c.row), o.item, would));
  const { created, mergedRows, mergedCustomers, duplicateRows } = plan.counts;
  const apart = plan.phoneClashes.length;
  ctx.out(
    `${checked.valid.length + checked.invalid} ${o.item}s: ${created} ${would}created, ${mergedRows} ${would}merged into ` +
      `${mergedCustomers} existing customer(s), ${duplicateRows} duplicate ${o.item}s ${would}merged, ` +
      `${checked.invalid} invalid, ${plan.conflicts.length + apart} conflict(s)` +
      `${apart ? ` (${apart} ${o.item}(s) with another customer's phone but a different name, ${would}kept apart)` : ''}.`,
  );
  if (checked.invalid > 0 && !o.skipInvalid) {
    ctx.err(
      `Nothing ${o.dryRun ? 'would be ' : ''}imported: ${checked.invalid} ${o.item}(s) invalid. Fix them, or use --skip-invalid to import the valid ones.`,
    );
    return 1;
  }
  if (suggested > 0)
    ctx.out(
      `${suggested} possible duplicate(s) of other customers (same phone, email or name and company): /dupes lists them.`,
    );
  if (o.dryRun) ctx.out('Dry run: nothing was written.');
  return 0;
}

/** A row not merged with the holder of its phone because the names differ, and what happened to it instead. */
function describeClash(c: PhoneClash, outcome: RowOutcome | undefined, item: string, would: string): string {
  const other =
    c.otherRow !== null ? `${item} ${c.otherRow} ${c.otherName}` : `#${c.customerId} ${c.otherName}`;
  const instead =
    outcome?.action === 'merge'
      ? `${would}merged into #${outcome.customerId} by ${label(outcome.by)} instead`
      : outcome?.action === 'duplicate'
        ? `${would}merged with ${item} ${outcome.ofRow} by ${label(outcome.by)} instead`
        : `${would}imported as a customer of its own`;
  return `${item} ${c.row}: not merged with ${other} — same phone, different name (${c.name}); ${instead}`;
}

function describeOutcome(o: RowOutcome, name: string | undefined, item: string): string {
  const who = name ? ` ${name}` : '';
  if (o.action === 'create') return `${item} ${o.row}: create${who}`;
  if (o.action === 'merge')
    return `${item} ${o.row}: merge${who} into #${o.customerId} (same ${label(o.by)})`;
  return `${item} ${o.row}: same person as ${item} ${o.ofRow}${who} (same ${label(o.by)}), merged`;
}

const label = (by: MatchKey) =>
  by === 'name_company' ? 'name and company' : by === 'unionid' ? 'unionid' : 'phone';

function describeConflict(ctx: CliContext, c: Conflict, staff: Map<number, string>, item: string): string {
  const show = (v: string | number | null) =>
    v === null
      ? 'none'
      : c.field === 'owner'
        ? (staff.get(Number(v)) ?? `staff #${v}`)
        : stageName(ctx.config.org.stages, String(v), 'en');
  const into = c.customerId !== null ? `#${c.customerId}` : `the customer of ${item} ${c.firstRow}`;
  return `${item} ${c.row}: ${c.field} of ${into} kept as ${show(c.kept)} (the file says ${show(c.offered)})`;
}
