import type { Generated } from 'kysely';

// Imports from the console: a file planned on upload, then written a chunk of rows per step.

export type ImportJobStatus = 'previewed' | 'running' | 'done' | 'failed' | 'cancelled';

/** One uploaded file of customers and how far its import has come. */
export interface ImportJobTable {
  id: Generated<number>;
  /** Who uploaded it: the import writes as them, in their scope. */
  staff_id: number;
  /** The upload's idempotency key: a retried upload finds its job. */
  request_key: string;
  file_name: string;
  format: string;
  /** SHA-256 of the file's bytes (hex): the same file uploaded again is recognised. */
  digest: string;
  status: ImportJobStatus;
  /** Rows to go through (every non-empty data row, with or without problems). */
  total: number;
  done: Generated<number>;
  /** The last row number (as the spreadsheet numbers it) gone through. */
  cursor: Generated<number>;
  /** JSON: the plan at upload (counts, problems by row, columns left out). */
  preview: string;
  /** JSON: what the steps wrote, counted. */
  summary: Generated<string>;
  /** A step runs at a time: the time (epoch ms) until which one holds the job. */
  lease_until: Generated<number>;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** A row of an uploaded file: the checked row as JSON, or null for a row with problems (skipped). */
export interface ImportRowTable {
  job_id: number;
  row: number;
  data: string | null;
}
