import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { RawRow } from '../core/records/imports/rows.ts';

export type TableFormat = 'csv' | 'xlsx' | 'json';

/** A file read as a table: its header row and data rows, each numbered as the spreadsheet shows it. */
export interface Table {
  format: TableFormat;
  headers: string[];
  rows: RawRow[];
}

/** The format a file name says, or null for one Liaison does not read. */
export function formatOf(path: string): TableFormat | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.json') return 'json';
  return null;
}

/** Reads a CSV (UTF-8 or GBK, comma, tab or semicolon separated), an .xlsx workbook's first sheet, or a JSON array. */
export async function readTable(path: string, format: TableFormat): Promise<Table> {
  if (format === 'xlsx') return readXlsx(path);
  const bytes = await readFile(path);
  const text = decodeText(bytes);
  if (NPM_BANNER.test(text))
    throw new Error(
      'it starts with npm\'s banner ("> liaison@… liaison"), which `npm run liaison -- export … > file` writes into the file. Export again with --out <file> (or `npx liaison export …`), or delete the lines above the header row.',
    );
  return format === 'json' ? readJson(text) : readCsv(text);
}

/** What `npm run <script>` prints before the script's own output: "> name@version script". */
const NPM_BANNER = /^\s*> [^\s@]+@\S+ \S+/;

/** UTF-8 when the bytes are valid UTF-8; otherwise GB18030 (a superset of GBK), what Excel saves as "CSV" in China. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function readCsv(text: string): Table {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', '\t', ';'].reduce((best, d) =>
    count(firstLine, d) > count(firstLine, best) ? d : best,
  );
  const records = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  }) as string[][];
  const [headers = [], ...data] = records;
  // A record is a spreadsheet row (a quoted line break stays inside its cell): the header is row 1.
  return { format: 'csv', headers, rows: data.map((cells, i) => ({ row: i + 2, cells })) };
}

const count = (s: string, c: string) => s.split(c).length - 1;

async function readXlsx(path: string): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { format: 'xlsx', headers: [], rows: [] };
  const header = sheet.getRow(1);
  const width = Math.max(header.cellCount, sheet.columnCount);
  const cellsOf = (row: ExcelJS.Row) => Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1)));
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber > 1) rows.push({ row: rowNumber, cells: cellsOf(row) });
  });
  return { format: 'xlsx', headers: cellsOf(header), rows };
}

/** What the cell shows: numbers in full (a phone typed as a number), dates as ISO dates, formulas as their result. */
function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return cell.text ?? '';
}

/** A JSON array of objects (what `liaison export --format json` writes); keys are the columns, arrays become lists. */
function readJson(text: string): Table {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(data) || data.some((d) => typeof d !== 'object' || d === null || Array.isArray(d)))
    throw new Error('a JSON import is an array of objects, one per customer');
  const headers = [...new Set(data.flatMap((d) => Object.keys(d as object)))];
  const rows = (data as Array<Record<string, unknown>>).map((item, i) => ({
    row: i + 1,
    cells: headers.map((h) => jsonCell(item[h])),
  }));
  return { format: 'json', headers, rows };
}

function jsonCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(jsonCell).join(',');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
