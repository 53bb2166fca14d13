import { AwsClient } from 'aws4fetch';
import { type FileStorage, StorageError, type StoredFile } from '../../src/core/ports/storage.ts';

/** An S3-compatible bucket (AWS S3, Cloudflare R2's S3 API, MinIO…), addressed path-style under `endpoint`. */
export interface S3Config {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const CALL_TIMEOUT_MS = 60_000;

/**
 * Files in an S3-compatible bucket, each request signed with AWS Signature V4 (aws4fetch: Web Crypto and fetch only,
 * so the same code runs on Node and Workers). No retries here: the queue that keeps files retries with backoff.
 */
export function createS3Storage(config: S3Config): FileStorage {
  const client = new AwsClient({
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    service: 's3',
    region: config.region,
    retries: 0,
  });
  const base = `${config.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(config.bucket)}`;
  const url = (key: string) => `${base}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const call = async (what: string, key: string, init: RequestInit): Promise<Response> => {
    try {
      return await client.fetch(url(key), { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
    } catch (error) {
      throw new StorageError(`s3 ${what}: ${error instanceof Error ? error.name : 'network error'}`, true);
    }
  };
  const failed = (what: string, response: Response) =>
    new StorageError(
      `s3 ${what}: HTTP ${response.status}`,
      response.status >= 500 || response.status === 429,
    );
  return {
    description: `s3 bucket ${config.bucket} at ${new URL(config.endpoint).host}`,
    async put(key, bytes, contentType) {
      const body = new Uint8Array(bytes);
      // The payload's hash is signed too (aws4fetch would send UNSIGNED-PAYLOAD): the bucket checks what it got.
      const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', body));
      const response = await call('put', key, {
        method: 'PUT',
        body,
        headers: {
          'content-type': contentType,
          'x-amz-content-sha256': Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join(''),
        },
      });
      await response.body?.cancel().catch(() => {});
      // Refused puts are retried too (with backoff, a few times): a key or bucket policy fixed meanwhile lets them in.
      if (!response.ok) throw new StorageError(`s3 put: HTTP ${response.status}`, true);
    },
    async get(key): Promise<StoredFile | null> {
      const response = await call('get', key, { method: 'GET' });
      if (response.status === 404) {
        await response.body?.cancel().catch(() => {});
        return null;
      }
      if (!response.ok) throw failed('get', response);
      return {
        bytes: new Uint8Array(await response.arrayBuffer()),
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      };
    },
    async delete(key) {
      const response = await call('delete', key, { method: 'DELETE' });
      await response.body?.cancel().catch(() => {});
      if (!response.ok && response.status !== 404) throw failed('delete', response);
    },
  };
}
