import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';

/** The formats a table of customers is read from. */
export type TableFormat = 'csv' | 'xlsx' | 'json';

/** One data row as read: its number as the spreadsheet shows it (the header is row 1), and its cells. */
export interface TableRow {
  row: number;
  cells: string[];
}

/** A file read as a table: its header row and data rows, each numbered as the spreadsheet shows it. */
export interface Table {
  format: TableFormat;
  headers: string[];
  rows: TableRow[];
}

/**
 * Reads a table from a file's bytes (no file system: the CLI reads a path, a web upload brings its body, on Node and
 * Workers alike): a CSV (UTF-8 or GBK; comma, tab or semicolon), an .xlsx workbook's first sheet, or a JSON array.
 */
export async function readTableBytes(bytes: Uint8Array, format: TableFormat): Promise<Table> {
  if (format === 'xlsx') return readXlsx(bytes);
  const text = decodeText(bytes);
  if (NPM_BANNER.test(text))
    throw new Error(
      'it starts with npm\'s banner ("> liaison@… liaison"), which `npm run liaison -- export … > file` writes into the file. Export again with --out <file> (or `npx liaison export …`), or delete the lines above the header row.',
    );
  return format === 'json' ? readJson(text) : readCsv(text);
}

/**
 * What the bytes are, by their content rather than their name: an .xlsx (a zip holding a workbook), a CSV (text:
 * no NUL or other binary control bytes near the start), or null (an image, a PDF, an old .xls…).
 */
export function sniffTable(bytes: Uint8Array): 'csv' | 'xlsx' | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return latin1(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).includes('xl/') ? 'xlsx' : null;
  const head = bytes.subarray(0, Math.min(bytes.length, 8 * 1024));
  if (head.length === 0) return null;
  // Text has tabs and line breaks; binary formats (PNG, PDF streams, OLE .xls) have NULs and other control bytes.
  let control = 0;
  for (const b of head) {
    if (b === 0) return null;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > head.length / 100 ? null : 'csv';
}

const latin1 = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

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

async function readXlsx(bytes: Uint8Array): Promise<Table> {
  // Loaded when a workbook comes: it is large, and most runs never read one.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  // JSZip underneath takes the bytes as they are; the type only names Node's Buffer.
  await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  const sheet = workbook.worksheets[0];
  if (!sheet) return { format: 'xlsx', headers: [], rows: [] };
  const header = sheet.getRow(1);
  const width = Math.max(header.cellCount, sheet.columnCount);
  const cellsOf = (row: ExcelJS.Row) => Array.from({ length: width }, (_, i) => cellText(row.getCell(i + 1)));
  const rows: TableRow[] = [];
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

/**
 * A cell as a spreadsheet may show it safely: text starting with `=`, `+`, `-`, `@`, a tab or a carriage return
 * would run as a formula (CSV injection), so it is prefixed with an apostrophe, which spreadsheets show as text.
 */
export function neutralizeCell(value: string): string {
  // A signed number (a phone as +86 138…) is no formula: it stays as it is, so an export imports back.
  const formula = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-][\d\s().-]*$/.test(value));
  return formula ? `'${value}` : value;
}
