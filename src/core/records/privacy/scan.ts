import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { holdsTrace, likePatterns, type Trace } from './traces.ts';

// D1 binds at most 100 parameters per statement.
const PATTERNS_PER_QUERY = 50;

/** A row found holding a trace: its key and the text columns looked at. */
export type TracedRow = { key: string | number } & Record<string, string | number | null>;

/**
 * Rows of a table without a customer column whose text holds one of the traces: LIKE finds candidates (one scan
 * per column and batch of patterns; erasure and export are rare), `holdsTrace` keeps the exact matches.
 */
export async function rowsHoldingTraces(
  db: Kysely<Database>,
  table: keyof Database,
  key: string,
  columns: string[],
  traces: readonly Trace[],
  /** Further columns to read (not searched). */
  also: string[] = [],
): Promise<TracedRow[]> {
  const patterns = likePatterns(traces);
  const found = new Map<string | number, TracedRow>();
  const picked = sql.join([key, ...columns, ...also].map((c) => sql.ref(c)));
  for (const column of columns) {
    for (let at = 0; at < patterns.length; at += PATTERNS_PER_QUERY) {
      const likes = patterns
        .slice(at, at + PATTERNS_PER_QUERY)
        .map((p) => sql`lower(${sql.ref(column)}) like ${p} escape '\\'`);
      const { rows } = await sql<Record<string, string | number | null>>`
        select ${picked} from ${sql.table(table)} where ${sql.join(likes, sql` or `)}`.execute(db);
      for (const row of rows) {
        const k = row[key] as string | number;
        if (!found.has(k) && columns.some((c) => holdsTrace(stringOf(row[c]), traces)))
          found.set(k, { ...row, key: k });
      }
    }
  }
  return [...found.values()];
}

const stringOf = (v: string | number | null | undefined): string | null =>
  v === null || v === undefined ? null : String(v);

/** Splits a list for statements with an `in (…)` list within D1's parameter limit. */
export function chunked<T>(items: readonly T[], size = 90): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
