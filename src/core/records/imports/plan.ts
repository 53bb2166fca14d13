import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import {
  findExistingCustomers,
  type KnownCustomer,
  MATCH_ORDER,
  type MatchKey,
  type PersonMatch,
  personKeys,
} from './match.ts';
import { namesMayMatch } from './names.ts';
import type { ImportRow } from './rows.ts';

/** A customer the import writes: a new one made of one or more rows, or an existing one the rows merge into. */
export interface PlannedCustomer {
  existing: KnownCustomer | null;
  /** The rows that make it, in file order; the first one decides where rows disagree. */
  rows: ImportRow[];
  /** The values after the merge: for an existing customer, only the fields it had empty are filled. */
  values: {
    name: string;
    company: string | null;
    phone: string | null;
    email: string | null;
    ownerStaffId: number | null;
    stage: string | null;
  };
  /** Which of `values` an existing customer gains (empty for a new one: everything is written). */
  filled: Array<'company' | 'phone' | 'email' | 'ownerStaffId'>;
  tags: string[];
  unionIds: string[];
  notes: string[];
}

/** What happens to one row. */
export type RowOutcome =
  | { row: number; action: 'create' }
  | { row: number; action: 'merge'; customerId: number; by: MatchKey }
  | { row: number; action: 'duplicate'; ofRow: number; by: MatchKey };

/** A row that disagrees with the customer it merges into on owner or stage: the customer's value is kept. */
export interface Conflict {
  row: number;
  field: 'owner' | 'stage';
  /** Staff id or stage key kept, and the one the row offered (owner ids as numbers). */
  kept: string | number | null;
  offered: string | number;
  customerId: number | null;
  /** The row that made the new customer, when the conflict is within the file. */
  firstRow: number | null;
}

/**
 * A row with the phone of a customer (or of an earlier row) under a clearly different name: not merged with them,
 * but matched by its other keys or imported as a customer of its own (the shared phone then makes them a duplicate
 * suggestion for a person to decide).
 */
export interface PhoneClash {
  row: number;
  name: string;
  /** The name of the customer or earlier row with the same phone. */
  otherName: string;
  customerId: number | null;
  /** The earlier row, when the phone's other holder is new in this file. */
  otherRow: number | null;
}

export interface ImportPlan {
  customers: PlannedCustomer[];
  outcomes: RowOutcome[];
  conflicts: Conflict[];
  phoneClashes: PhoneClash[];
  counts: {
    /** New customers. */
    created: number;
    /** Rows merging into customers that existed before the import. */
    mergedRows: number;
    /** Distinct existing customers those rows merge into. */
    mergedCustomers: number;
    /** Rows that are the same person as an earlier row of the file. */
    duplicateRows: number;
  };
}

export interface PlanOptions {
  /** The owner of new customers whose rows name none (`--owner`); existing customers keep theirs. */
  defaultOwnerId?: number | null;
  onProgress?: (done: number, total: number) => void;
}

const rank = (by: MatchKey) => MATCH_ORDER.indexOf(by);
const CHUNK = 3000;

/**
 * Decides, for every valid row, whether it makes a new customer, merges into an existing one (`findExistingCustomers`)
 * or repeats an earlier row of the file: the strongest key wins (phone, then unionid, then name + company), whether it
 * points into the file or into the database. Reads only; the same plan is what a dry run reports and a real run writes.
 */
export async function planImport(
  db: Kysely<Database>,
  rows: ImportRow[],
  options: PlanOptions = {},
): Promise<ImportPlan> {
  const { onProgress, defaultOwnerId = null } = options;
  const matches: PersonMatch[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    matches.push(...(await findExistingCustomers(db, rows.slice(start, start + CHUNK))));
    onProgress?.(Math.min(start + CHUNK, rows.length), rows.length);
  }
  const plan: ImportPlan = {
    customers: [],
    outcomes: [],
    conflicts: [],
    phoneClashes: [],
    counts: { created: 0, mergedRows: 0, mergedCustomers: 0, duplicateRows: 0 },
  };
  // Key → the customers planned with it, first first; a phone may be shared by people kept apart.
  const byKey = new Map<string, PlannedCustomer[]>();
  const byExisting = new Map<number, PlannedCustomer>();
  rows.forEach((row, i) => {
    const keys = personKeys(row);
    let fileClash: PlannedCustomer | undefined;
    const inFile = keys
      .map((k) => {
        const planned = byKey.get(`${k.by}:${k.key}`) ?? [];
        if (k.by !== 'phone') return { by: k.by, planned: planned[0] };
        const same = planned.find((p) => mayBe(p, row.name));
        if (!same) fileClash ??= planned[0];
        return { by: k.by, planned: same };
      })
      .find((k) => k.planned !== undefined);
    const known = matches[i]?.match ?? null;
    let target: PlannedCustomer;
    if (inFile?.planned && (!known || rank(inFile.by) <= rank(known.by))) {
      target = inFile.planned;
      plan.outcomes.push(
        target.existing
          ? { row: row.row, action: 'merge', customerId: target.existing.id, by: inFile.by }
          : { row: row.row, action: 'duplicate', ofRow: target.rows[0]?.row ?? row.row, by: inFile.by },
      );
      mergeRow(plan, target, row);
    } else if (known) {
      target = byExisting.get(known.customer.id) ?? startExisting(plan, byExisting, known.customer);
      plan.outcomes.push({ row: row.row, action: 'merge', customerId: known.customer.id, by: known.by });
      mergeRow(plan, target, row);
    } else {
      target = startNew(plan, row);
      plan.outcomes.push({ row: row.row, action: 'create' });
    }
    const byPhone = inFile?.by === 'phone' || known?.by === 'phone';
    const clash = matches[i]?.phoneClash ?? null;
    if (!byPhone && (fileClash || clash))
      plan.phoneClashes.push({
        row: row.row,
        name: row.name,
        otherName: fileClash?.values.name ?? clash?.display_name ?? '',
        customerId: fileClash ? (fileClash.existing?.id ?? null) : (clash?.id ?? null),
        otherRow: fileClash && !fileClash.existing ? (fileClash.rows[0]?.row ?? null) : null,
      });
    for (const k of keys) {
      const list = byKey.get(`${k.by}:${k.key}`) ?? [];
      if (!list.includes(target)) byKey.set(`${k.by}:${k.key}`, [...list, target]);
    }
  });
  for (const o of plan.outcomes) {
    if (o.action === 'merge') plan.counts.mergedRows++;
    else if (o.action === 'duplicate') plan.counts.duplicateRows++;
  }
  for (const c of plan.customers)
    if (!c.existing && c.values.ownerStaffId === null) c.values.ownerStaffId = defaultOwnerId;
  plan.counts.created = plan.customers.filter((c) => !c.existing).length;
  plan.counts.mergedCustomers = byExisting.size;
  return plan;
}

/** Whether a row's name may be the planned customer's: its name, or any name its rows gave. */
const mayBe = (planned: PlannedCustomer, name: string) =>
  namesMayMatch(planned.values.name, name) || planned.rows.some((r) => namesMayMatch(r.name, name));

function startNew(plan: ImportPlan, row: ImportRow): PlannedCustomer {
  const planned: PlannedCustomer = {
    existing: null,
    rows: [row],
    values: {
      name: row.name,
      company: row.company,
      phone: row.phone,
      email: row.email,
      ownerStaffId: row.ownerStaffId,
      stage: row.stage,
    },
    filled: [],
    tags: [...row.tags],
    unionIds: row.unionId ? [row.unionId] : [],
    notes: row.note ? [row.note] : [],
  };
  plan.customers.push(planned);
  return planned;
}

function startExisting(
  plan: ImportPlan,
  byExisting: Map<number, PlannedCustomer>,
  c: KnownCustomer,
): PlannedCustomer {
  const planned: PlannedCustomer = {
    existing: c,
    rows: [],
    values: {
      name: c.display_name,
      company: c.company,
      phone: c.phone,
      email: c.email,
      ownerStaffId: c.owner_staff_id,
      stage: c.stage,
    },
    filled: [],
    tags: [],
    unionIds: [],
    notes: [],
  };
  plan.customers.push(planned);
  byExisting.set(c.id, planned);
  return planned;
}

/** Adds a row to a customer: empty fields filled, tags, unionids and notes added, owner and stage never replaced. */
function mergeRow(plan: ImportPlan, target: PlannedCustomer, row: ImportRow): void {
  const v = target.values;
  for (const field of ['company', 'phone', 'email', 'ownerStaffId'] as const) {
    if (v[field] === null && row[field] !== null) {
      (v as Record<typeof field, string | number | null>)[field] = row[field];
      if (target.existing) target.filled.push(field);
    }
  }
  const conflict = (field: Conflict['field'], kept: string | number | null, offered: string | number) =>
    plan.conflicts.push({
      row: row.row,
      field,
      kept,
      offered,
      customerId: target.existing?.id ?? null,
      firstRow: target.existing ? null : (target.rows[0]?.row ?? null),
    });
  if (row.ownerStaffId !== null && v.ownerStaffId !== row.ownerStaffId)
    conflict('owner', v.ownerStaffId, row.ownerStaffId);
  if (row.stage !== null && v.stage === null) v.stage = row.stage;
  else if (row.stage !== null && v.stage !== row.stage) conflict('stage', v.stage, row.stage);
  target.rows.push(row);
  for (const t of row.tags) if (!target.tags.includes(t)) target.tags.push(t);
  if (row.unionId && !target.unionIds.includes(row.unionId)) target.unionIds.push(row.unionId);
  if (row.note) target.notes.push(row.note);
}
