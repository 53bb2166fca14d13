import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import type { StageDefinition } from '../../kernel/runtime.ts';
import {
  type Checked,
  checkEmail,
  checkPhone,
  checkStage,
  checkTags,
  checkText,
  checkUnionId,
  problemText,
  refused,
  type ValueProblem,
} from '../customers/values.ts';
import { findStaffByRef } from '../staff/staff-ref.ts';
import type { ColumnMapping, ImportField } from './columns.ts';

/** One data row of the file as read: its row number as the spreadsheet shows it (the header is row 1). */
export interface RawRow {
  row: number;
  cells: string[];
}

/** A row that passed every check, ready to be matched and written. */
export interface ImportRow {
  row: number;
  name: string;
  company: string | null;
  phone: string | null;
  email: string | null;
  /** A configured stage key. */
  stage: string | null;
  ownerStaffId: number | null;
  tags: string[];
  unionId: string | null;
  note: string | null;
}

/** Why a row cannot be imported: its row, the column (as headed in the file), the value and the reason. */
export interface RowProblem {
  row: number;
  column: string;
  value: string;
  /** In English (the command line's). */
  reason: string;
  /** The reason for any language (`problemText`). */
  problem: ValueProblem;
}

export interface CheckedRows {
  valid: ImportRow[];
  problems: RowProblem[];
  /** Rows with at least one problem. */
  invalid: number;
  /** Rows with nothing in any imported column: skipped without a word. */
  empty: number;
}

export interface RowCheckOptions {
  stages: readonly StageDefinition[];
}

/** Checks every row against the mapping: values normalised, stages known, owners existing staff. */
export async function checkRows(
  db: Kysely<Database>,
  headers: string[],
  rows: RawRow[],
  mapping: ColumnMapping,
  options: RowCheckOptions,
): Promise<CheckedRows> {
  const columns = [...mapping.fields].map(([index, field]) => ({
    index,
    field,
    header: headers[index] ?? field,
  }));
  const ownerColumn = columns.find((c) => c.field === 'owner');
  const owners = ownerColumn
    ? await resolveOwners(db, new Set(rows.map((r) => r.cells[ownerColumn.index]?.trim() ?? '')))
    : new Map<string, Checked<number>>();
  const out: CheckedRows = { valid: [], problems: [], invalid: 0, empty: 0 };
  for (const raw of rows) {
    const values = new Map<ImportField, string>();
    for (const c of columns) {
      const v = raw.cells[c.index]?.trim() ?? '';
      if (v) values.set(c.field, v);
    }
    if (values.size === 0) {
      out.empty++;
      continue;
    }
    const problems: RowProblem[] = [];
    const take = <T>(field: ImportField, check: (v: string) => Checked<T>): T | null => {
      const v = values.get(field);
      if (v === undefined) return null;
      const checked = check(v);
      if (checked.ok) return checked.value;
      const header = columns.find((c) => c.field === field)?.header ?? field;
      problems.push({
        row: raw.row,
        column: header,
        value: clip(v),
        reason: checked.reason,
        problem: checked.problem,
      });
      return null;
    };
    const name = take('name', (v) => checkText(v, 100));
    if (!values.has('name')) {
      const header = columns.find((c) => c.field === 'name')?.header ?? 'name';
      const problem = { code: 'empty_name' } as const;
      problems.push({ row: raw.row, column: header, value: '', reason: problemText(problem, 'en'), problem });
    }
    const row: ImportRow = {
      row: raw.row,
      name: name ?? '',
      company: take('company', (v) => checkText(v, 200)),
      phone: take('phone', checkPhone),
      email: take('email', checkEmail),
      stage: take('stage', (v) => checkStage(v, options.stages)),
      ownerStaffId: take('owner', (v) => owners.get(v) ?? refused({ code: 'no_staff' })),
      tags: take('tags', checkTags) ?? [],
      unionId: take('unionid', checkUnionId),
      note: take('note', (v) => checkText(v, 2000)),
    };
    if (problems.length > 0) {
      out.invalid++;
      out.problems.push(...problems);
    } else out.valid.push(row);
  }
  return out;
}

/** Each distinct owner value once: the active staff member it names, or why it names none. */
export async function resolveOwners(
  db: Kysely<Database>,
  refs: Set<string>,
): Promise<Map<string, Checked<number>>> {
  const out = new Map<string, Checked<number>>();
  for (const ref of refs) {
    if (!ref) continue;
    const found = await findStaffByRef(db, ref, -1);
    const only = found[0];
    if (found.length === 1 && only) out.set(ref, { ok: true, value: only.id });
    else if (found.length === 0) out.set(ref, refused({ code: 'no_staff' }));
    else out.set(ref, refused({ code: 'many_staff', args: [found.length] }));
  }
  return out;
}

const clip = (v: string) => ([...v].length > 40 ? `${[...v].slice(0, 40).join('')}…` : v);
