/** One part of a multipart/form-data body. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** What the fakes record of a multipart request: plain fields as text, files with their bytes. */
export interface FormRecord {
  fields: Record<string, string>;
  files: Record<string, { filename: string; contentType?: string; size: number; data: Buffer }>;
}

/** The boundary of a multipart/form-data content type, or undefined for any other body. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!/^multipart\/form-data\b/i.test(contentType ?? '')) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m?.[1] ?? m?.[2];
}

/** Splits a multipart/form-data body into its parts (enough of RFC 7578 for the clients under test). */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    let start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // The part ends with the CRLF that precedes the next delimiter.
    const part = body.subarray(start, next - 2);
    const split = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, split < 0 ? 0 : split).toString('utf8');
    const data = split < 0 ? Buffer.alloc(0) : Buffer.from(part.subarray(split + 4));
    const headers = new Map(
      head.split('\r\n').map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
    );
    const disposition = headers.get('content-disposition') ?? '';
    const name = /\bname="([^"]*)"/.exec(disposition)?.[1] ?? '';
    const filename = /\bfilename="([^"]*)"/.exec(disposition)?.[1];
    const contentType = headers.get('content-type');
    parts.push({
      name,
      data,
      ...(filename !== undefined ? { filename } : {}),
      ...(contentType ? { contentType } : {}),
    });
    at = next;
  }
  return parts;
}

/** Fields and files of a multipart/form-data body. */
export function formRecord(body: Buffer, boundary: string): FormRecord {
  const record: FormRecord = { fields: {}, files: {} };
  for (const part of parseMultipart(body, boundary)) {
    if (part.filename === undefined && !part.contentType?.startsWith('application/octet-stream'))
      record.fields[part.name] = part.data.toString('utf8');
    else
      record.files[part.name] = {
        filename: part.filename ?? '',
        ...(part.contentType ? { contentType: part.contentType } : {}),
        size: part.data.length,
        data: part.data,
      };
  }
  return record;
}
