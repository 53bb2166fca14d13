import type { FileStorage, StoredFile } from '../../src/core/ports/storage.ts';

/** The part of a Workers R2 bucket binding Liaison uses. */
export interface R2BucketLike {
  put(
    key: string,
    value: Uint8Array,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<unknown>;
  get(
    key: string,
  ): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; httpMetadata?: { contentType?: string } } | null>;
  delete(key: string): Promise<void>;
}

/** Whether a Worker binding is an R2 bucket (it has the methods used here). */
export function isR2Bucket(value: unknown): value is R2BucketLike {
  const v = value as Partial<Record<keyof R2BucketLike, unknown>> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.put === 'function' &&
    typeof v.get === 'function' &&
    typeof v.delete === 'function'
  );
}

/** Files in an R2 bucket bound to the Worker (`[[r2_buckets]]` binding `ATTACHMENTS_BUCKET` in wrangler.toml). */
export function r2Storage(bucket: R2BucketLike, name: string): FileStorage {
  return {
    description: `r2 binding ${name}`,
    async put(key, bytes, contentType) {
      await bucket.put(key, bytes, { httpMetadata: { contentType } });
    },
    async get(key): Promise<StoredFile | null> {
      const object = await bucket.get(key);
      if (!object) return null;
      return {
        bytes: new Uint8Array(await object.arrayBuffer()),
        contentType: object.httpMetadata?.contentType ?? 'application/octet-stream',
      };
    },
    async delete(key) {
      await bucket.delete(key);
    },
  };
}
