import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { sqlitePathOf } from '../../db/open.ts';
import { type FileStorage, StorageError, type StoredFile } from '../core/ports/storage.ts';

/** Keys are Liaison's own (`messages/<id>/<uuid>`): anything else is refused rather than turned into a path. */
const SAFE_KEY = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;

/**
 * The folder attachments are kept in: ATTACHMENTS_DIR, else `attachments/` beside the SQLite file, else (PostgreSQL)
 * `./data/attachments`.
 */
export function attachmentsDir(configured: string | null, databaseUrl: string): string {
  if (configured) return resolve(configured);
  const sqlite = sqlitePathOf(databaseUrl);
  if (sqlite && sqlite !== ':memory:') return resolve(dirname(sqlite), 'attachments');
  return resolve('data', 'attachments');
}

/**
 * Files on local disk, one file per key plus a small `.type` file with its content type. Written to a temporary name
 * and renamed, so a crash never leaves half a file under a key. The folder is made on the first write.
 */
export function diskStorage(root: string): FileStorage {
  const pathOf = (key: string) => {
    if (!SAFE_KEY.test(key)) throw new StorageError('disk: refused an unsafe key', false);
    return join(root, ...key.split('/'));
  };
  const failed = (what: string, error: unknown) =>
    new StorageError(`disk ${what}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, true);
  return {
    description: `disk ${root}`,
    async put(key, bytes, contentType) {
      const path = pathOf(key);
      try {
        await mkdir(dirname(path), { recursive: true });
        const temp = `${path}.${process.pid}.tmp`;
        await writeFile(`${path}.type`, contentType);
        await writeFile(temp, bytes);
        await rename(temp, path);
      } catch (error) {
        throw failed('put', error);
      }
    },
    async get(key): Promise<StoredFile | null> {
      const path = pathOf(key);
      try {
        const [bytes, contentType] = await Promise.all([readFile(path), readFile(`${path}.type`, 'utf8')]);
        return {
          bytes: new Uint8Array(bytes),
          contentType: contentType.trim() || 'application/octet-stream',
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw failed('get', error);
      }
    },
    async delete(key) {
      const path = pathOf(key);
      try {
        await rm(path, { force: true });
        await rm(`${path}.type`, { force: true });
      } catch (error) {
        throw failed('delete', error);
      }
    },
  };
}
