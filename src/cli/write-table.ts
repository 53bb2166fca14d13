import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { TableFormat } from './read-table.ts';

export type Cell = string | number | string[] | null;

/** Writes a table row by row, so a large export never sits in memory whole. */
export interface TableWriter {
  row(values: Cell[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A writer for a format, to a file (`path`) or, for csv and json, line by line to `out` (stdout). CSV files start
 * with a byte-order mark, so Excel opens Chinese text as UTF-8; JSON is an array of objects keyed by the headers.
 */
export function openTableWriter(
  format: TableFormat,
  headers: string[],
  path: string | null,
  out: (line: string) => void,
): TableWriter {
  if (format === 'xlsx') {
    if (!path) throw new Error('xlsx needs --out <file>');
    return xlsxWriter(headers, path);
  }
  const file = path ? createWriteStream(path) : null;
  const emit = file
    ? (text: string) => write(file, text)
    : async (text: string) => out(text.replace(/\n$/, ''));
  const finish = async () => {
    if (!file) return;
    file.end();
    await once(file, 'finish');
  };
  if (format === 'csv') {
    const line = (values: Cell[]) =>
      stringify([values.map((v) => (Array.isArray(v) ? v.join(',') : v))], { record_delimiter: '\n' });
    let started = false;
    return {
      async row(values) {
        if (!started) {
          started = true;
          await emit(`${file ? '\uFEFF' : ''}${line(headers)}`);
        }
        await emit(line(values));
      },
      async close() {
        if (!started) await emit(`${file ? '\uFEFF' : ''}${line(headers)}`);
        await finish();
      },
    };
  }
  // Each item is written once the next one (or the end) shows whether a comma follows it.
  let pending: string | null = null;
  return {
    async row(values) {
      const item = JSON.stringify(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
      await emit(pending === null ? '[\n' : `  ${pending},\n`);
      pending = item;
    },
    async close() {
      await emit(pending === null ? '[]\n' : `  ${pending}\n]\n`);
      await finish();
    },
  };
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

function xlsxWriter(headers: string[], path: string): TableWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const sheet = workbook.addWorksheet('customers');
  sheet.addRow(headers).commit();
  return {
    async row(values) {
      // Text cells only: a phone stays a phone (never 1.38E+10), and imports read exactly what was written.
      sheet
        .addRow(values.map((v) => (v === null ? null : Array.isArray(v) ? v.join(',') : String(v))))
        .commit();
    },
    async close() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
