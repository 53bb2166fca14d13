import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { attachmentsDir } from '../../src/node/disk-storage.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const S3 = {
  S3_ENDPOINT: 'https://0123abcd.r2.cloudflarestorage.com/',
  S3_BUCKET: 'liaison-files',
  S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

describe('attachment settings', () => {
  it('keep files beside the SQLite database, up to 20 MB, unless told otherwise', () => {
    const config = loadConfig({});
    expect(config.attachments).toEqual({ dir: null, maxBytes: 20 * 1024 * 1024, s3: null });
    expect(attachmentsDir(null, '/srv/liaison/db.sqlite')).toBe('/srv/liaison/attachments');
    expect(attachmentsDir(null, 'file:/srv/liaison/db.sqlite')).toBe('/srv/liaison/attachments');
    expect(attachmentsDir('/mnt/files', '/srv/liaison/db.sqlite')).toBe('/mnt/files');
    expect(attachmentsDir(null, 'postgres://u:p@db/liaison')).toMatch(/\/data\/attachments$/);
  });

  it('take an S3-compatible bucket when all four S3 variables are set (region auto for R2)', () => {
    expect(loadConfig(S3).attachments.s3).toEqual({
      endpoint: 'https://0123abcd.r2.cloudflarestorage.com',
      bucket: 'liaison-files',
      region: 'auto',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: S3.S3_SECRET_ACCESS_KEY,
    });
  });

  it('name what is missing or wrong rather than keeping files somewhere unintended', () => {
    const { S3_SECRET_ACCESS_KEY: _, ...withoutSecret } = S3;
    expect(problems(withoutSecret)).toEqual([
      'S3_SECRET_ACCESS_KEY is required when S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID are set',
    ]);
    expect(problems({ ...S3, S3_ENDPOINT: 's3.amazonaws.com' })).toEqual([
      'S3_ENDPOINT must be the endpoint base URL, e.g. https://<account>.r2.cloudflarestorage.com',
    ]);
    expect(problems({ ...S3, S3_BUCKET: 'Liaison_Files' })).toHaveLength(1);
    expect(problems({ ATTACHMENTS_MAX_BYTES: '20MB' })).toEqual([
      'ATTACHMENTS_MAX_BYTES must be a whole number of bytes from 1 to 104857600',
    ]);
    expect(problems({ ATTACHMENTS_MAX_BYTES: '0' })).toHaveLength(1);
    expect(loadConfig({ ATTACHMENTS_MAX_BYTES: '1048576' }).attachments.maxBytes).toBe(1_048_576);
  });
});
