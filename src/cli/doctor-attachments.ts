import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createS3Storage } from '../../adapters/storage/s3.ts';
import type { Config } from '../config.ts';
import { attachmentsDir } from '../node/disk-storage.ts';
import { CHECK_TIMEOUT_MS, type Check, unreachable } from './doctor-platforms.ts';

/**
 * Where attachments are kept and whether that works: the bucket takes, returns and deletes a small probe object, or
 * the folder (or the nearest folder above it that exists) is writable. Creates nothing on disk.
 */
export async function checkAttachments(config: Config): Promise<Check[]> {
  const links: Check = config.apiToken
    ? {
        status: 'ok',
        text: 'attachments: staff download them through signed links (GET /api/messages/{id}/file)',
      }
    : { status: 'off', text: 'attachments: kept, but nobody can download them until API_TOKEN is set' };
  const s3 = config.attachments.s3;
  if (s3) {
    const storage = createS3Storage(s3);
    const key = `doctor/probe-${crypto.randomUUID()}`;
    try {
      await withTimeout(
        (async () => {
          await storage.put(key, new TextEncoder().encode('liaison doctor'), 'text/plain');
          if (!(await storage.get(key)))
            throw new Error('the probe object was not there after it was stored');
          await storage.delete(key);
        })(),
      );
      return [{ status: 'ok', text: `attachments: kept in ${storage.description}` }, links];
    } catch (error) {
      return [
        {
          status: 'FAIL',
          text: `attachments: ${storage.description}: ${error instanceof Error ? error.message : unreachable(error)} — check S3_* and the key's rights on the bucket`,
        },
      ];
    }
  }
  const dir = attachmentsDir(config.attachments.dir, config.databaseUrl);
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  // The default folder follows the database: a path the database cannot use either is the database check's to report.
  if (!statSync(existing).isDirectory())
    return config.attachments.dir
      ? [{ status: 'FAIL', text: `attachments: ${existing} is a file, not a folder — fix ATTACHMENTS_DIR` }]
      : [{ status: 'off', text: `attachments: not checked (${dir} follows DATABASE_URL)` }];
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    return [
      {
        status: 'FAIL',
        text: `attachments: ${existing} is not writable — fix ATTACHMENTS_DIR or the folder`,
      },
    ];
  }
  const note = existing === dir ? '' : ' (created with the first file)';
  return [{ status: 'ok', text: `attachments: kept on disk in ${dir}${note}` }, links];
}

const withTimeout = <T>(promise: Promise<T>): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no answer in time')), CHECK_TIMEOUT_MS).unref(),
    ),
  ]);
