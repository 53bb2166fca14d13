/** Attachments kept: where (a local folder on Node, or an S3-compatible bucket), and how large a file may be. */
export interface AttachmentSettings {
  /** ATTACHMENTS_DIR; null: `attachments/` next to the SQLite file (Node), or `./data/attachments` with PostgreSQL. */
  dir: string | null;
  /** ATTACHMENTS_MAX_BYTES: larger files are refused, not kept. */
  maxBytes: number;
  /** An S3-compatible bucket (AWS S3, Cloudflare R2, MinIO…); when set, it is used instead of the local folder. */
  s3: S3Settings | null;
}

export interface S3Settings {
  /** The endpoint's base URL (`https://<account>.r2.cloudflarestorage.com`, `https://s3.eu-west-1.amazonaws.com`). */
  endpoint: string;
  bucket: string;
  /** The signing region (`auto` for R2). */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** Nothing larger is taken: the whole file is held in memory while it is checked and stored. */
const MAX_MAX_BYTES = 100 * 1024 * 1024;
const S3_REQUIRED = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** Reads the attachment variables; each problem names its variable. */
export function parseAttachmentSettings(
  env: Record<string, string | undefined>,
  problems: string[],
): AttachmentSettings {
  const value = (name: string) => env[name]?.trim() || undefined;
  const rawMax = value('ATTACHMENTS_MAX_BYTES');
  let maxBytes = DEFAULT_MAX_BYTES;
  if (rawMax !== undefined) {
    const n = Number(rawMax);
    if (!/^\d+$/.test(rawMax) || n < 1 || n > MAX_MAX_BYTES)
      problems.push(`ATTACHMENTS_MAX_BYTES must be a whole number of bytes from 1 to ${MAX_MAX_BYTES}`);
    else maxBytes = n;
  }
  const set = [...S3_REQUIRED, 'S3_REGION'].filter((name) => value(name) !== undefined);
  const missing = S3_REQUIRED.filter((name) => value(name) === undefined);
  let s3: S3Settings | null = null;
  if (set.length > 0 && missing.length > 0) {
    problems.push(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required when ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set`,
    );
  } else if (set.length > 0) {
    const endpoint = (value('S3_ENDPOINT') as string).replace(/\/+$/, '');
    const bucket = value('S3_BUCKET') as string;
    if (!/^https?:\/\/[^\s/]+$/i.test(endpoint))
      problems.push(
        'S3_ENDPOINT must be the endpoint base URL, e.g. https://<account>.r2.cloudflarestorage.com',
      );
    else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      problems.push('S3_BUCKET must be a bucket name (3-63 lower-case letters, digits, dots and hyphens)');
    else
      s3 = {
        endpoint,
        bucket,
        region: value('S3_REGION') ?? 'auto',
        accessKeyId: value('S3_ACCESS_KEY_ID') as string,
        secretAccessKey: value('S3_SECRET_ACCESS_KEY') as string,
      };
  }
  return { dir: value('ATTACHMENTS_DIR') ?? null, maxBytes, s3 };
}
