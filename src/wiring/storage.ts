import { createS3Storage } from '../../adapters/storage/s3.ts';
import type { Config } from '../config.ts';
import type { FileKeeping, FileStorage } from '../core/ports/storage.ts';

/**
 * Where attachments are kept: the S3-compatible bucket when S3_* is configured, else the runtime's own (Node: local
 * disk; Workers: an R2 binding, when declared). None: attachments are not kept (and the doctor and metrics say so).
 */
export function fileKeepingFor(config: Config, local?: FileStorage): FileKeeping | undefined {
  const storage = config.attachments.s3 ? createS3Storage(config.attachments.s3) : local;
  return storage ? { storage, maxBytes: config.attachments.maxBytes } : undefined;
}
