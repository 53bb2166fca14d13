import { PassThrough } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { neutralizeCell } from '../../lib/table-bytes.ts';

export type ExportFormat = 'csv' | 'xlsx';
type Cell = string | number | null;

/**
 * A table written as a download while it is produced: `produce` is handed a row writer that waits while the reader
 * is behind (so a large export never sits in memory whole), and its answer is `outcome`. Text cells that a
 * spreadsheet would run as a formula are neutralised. CSV starts with a byte-order mark (Excel then reads UTF-8);
 * XLSX is written with text cells only, so a phone stays a phone.
 */
export function tableStream<T>(
  format: ExportFormat,
  headers: string[],
  produce: (row: (cells: Cell[]) => Promise<void>) => Promise<T>,
): { stream: ReadableStream<Uint8Array>; outcome: Promise<T> } {
  const pipe = new TransformStream<Uint8Array, Uint8Array>(undefined, undefined, { highWaterMark: 64 });
  const writer = pipe.writable.getWriter();
  const safe = (cells: Cell[]) => cells.map((v) => (typeof v === 'string' ? neutralizeCell(v) : v));
  const outcome = (
    format === 'csv' ? csv(writer, headers, produce, safe) : xlsx(writer, headers, produce, safe)
  )
    .then(async (answer) => {
      await writer.close();
      return answer;
    })
    .catch(async (error: unknown) => {
      await writer.abort(error).catch(() => undefined);
      throw error;
    });
  outcome.catch(() => undefined); // the reader sees the abort; the caller may never await it
  return { stream: pipe.readable, outcome };
}

async function csv<T>(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  headers: string[],
  produce: (row: (cells: Cell[]) => Promise<void>) => Promise<T>,
  safe: (cells: Cell[]) => Cell[],
): Promise<T> {
  const encoder = new TextEncoder();
  const line = (cells: Cell[]) => encoder.encode(stringify([cells], { record_delimiter: '\r\n' }));
  const send = async (bytes: Uint8Array) => {
    await writer.ready;
    await writer.write(bytes);
  };
  await send(encoder.encode('\uFEFF'));
  await send(line(headers));
  return produce((cells) => send(line(safe(cells))));
}

async function xlsx<T>(
  writer: WritableStreamDefaultWriter<Uint8Array>,
  headers: string[],
  produce: (row: (cells: Cell[]) => Promise<void>) => Promise<T>,
  safe: (cells: Cell[]) => Cell[],
): Promise<T> {
  const { default: Excel } = await import('exceljs');
  const zipped = new PassThrough();
  const forwarded: Promise<void>[] = [];
  zipped.on('data', (chunk: Uint8Array) => {
    zipped.pause();
    const sent = writer.ready.then(() => writer.write(new Uint8Array(chunk))).finally(() => zipped.resume());
    forwarded.push(sent);
  });
  const ended = new Promise<void>((resolve, reject) => {
    zipped.on('end', resolve);
    zipped.on('error', reject);
  });
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: zipped, useSharedStrings: false });
  const sheet = workbook.addWorksheet('customers');
  sheet.addRow(headers).commit();
  const answer = await produce(async (cells) => {
    sheet.addRow(safe(cells).map((v) => (v === null ? null : String(v)))).commit();
    await writer.ready;
  });
  sheet.commit();
  await workbook.commit();
  await ended;
  await Promise.all(forwarded);
  return answer;
}
