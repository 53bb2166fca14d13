import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { readTableBytes, type Table, type TableFormat } from '../lib/table-bytes.ts';

export type { Table, TableFormat };

/** The format a file name says, or null for one Liaison does not read. */
export function formatOf(path: string): TableFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.json') return 'json';
  return null;
}

/**
 * Reads a CSV (UTF-8 or GBK, comma, tab or semicolon separated), an .xlsx workbook's first sheet, or a JSON array;
 * the parsing is src/lib/table-bytes.ts, shared with the console's upload.
 */
export async function readTable(path: string, format: TableFormat): Promise<Table> {
  return readTableBytes(await readFile(path), format);
}
