/**
 * Where kept files live (message attachments): local disk on Node, an S3-compatible bucket (S3, R2, MinIO…), or an
 * R2 binding on Workers. Keys are Liaison's own (never a platform's or a user's text), so any backend can take them as
 * object names or relative paths as they are.
 */
export interface FileStorage {
  /** Where files go, for operators (`disk /data/attachments`, `s3 bucket liaison at https://…`); never a secret. */
  readonly description: string;
  /** Stores the bytes under `key`, replacing what was there; throws when the backend did not take them. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The file stored under `key`, or null when there is none; throws when the backend could not be asked. */
  get(key: string): Promise<StoredFile | null>;
  /** Removes the file under `key` (nothing to remove is fine); throws when the backend could not be asked. */
  delete(key: string): Promise<void>;
}

/** A file as a `FileStorage` gives it back. */
export interface StoredFile {
  bytes: Uint8Array;
  /** The content type it was stored with. */
  contentType: string;
}

/** A storage backend refusing or failing a call: whether trying again later may help. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Whether attachments are fetched and kept, and within which limits. */
export interface FileKeeping {
  storage: FileStorage;
  /** Files larger than this are refused for good (`ATTACHMENTS_MAX_BYTES`). */
  maxBytes: number;
}
