import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite, WAL_FILE_KEPT_BYTES } from '../../db/sqlite.ts';
import { MAIN_CONNECTION_CHECKPOINT_PAGES } from '../../db/sqlite-checkpoints.ts';
import { waitFor } from '../helpers/harness.ts';

const folder = mkdtempSync(join(tmpdir(), 'liaison-checkpoints-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('an embedded SQLite file checkpoints in the background', () => {
  it('cuts the WAL back after a burst of writes without the main connection checkpointing, and leaves none behind when closed', async () => {
    const file = join(folder, 'busy.sqlite');
    const db = openSqlite(file);
    await sql`create table blobs (id integer primary key, body text not null)`.execute(db);
    const mainThreshold = async () =>
      (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]
        ?.wal_autocheckpoint;
    // Once the background connection has checkpointed, the main one only checkpoints as a 64 MiB backstop.
    await waitFor(async () => (await mainThreshold()) === MAIN_CONNECTION_CHECKPOINT_PAGES);
    const body = 'x'.repeat(8_000);
    // ~30 MB in 2,000 commits: below the main connection's backstop, above the WAL size SQLite keeps on a restart.
    for (let n = 0; n < 2_000; n++) await sql`insert into blobs (body) values (${body})`.execute(db);
    // Only a checkpoint lets the WAL restart (and shrink on the next commit); small writes go on meanwhile.
    await waitFor(async () => {
      await sql`insert into blobs (body) values ('small')`.execute(db);
      return statSync(`${file}-wal`).size <= WAL_FILE_KEPT_BYTES;
    });
    expect(await mainThreshold()).toBe(MAIN_CONNECTION_CHECKPOINT_PAGES);
    const count = await sql<{ n: number }>`select count(*) as n from blobs where body = ${body}`.execute(db);
    expect(count.rows[0]?.n).toBe(2_000);
    await db.destroy();
    await waitFor(() => !existsSync(`${file}-wal`));
    const reopened = openSqlite(file);
    const again = await sql<{ n: number }>`select count(*) as n from blobs where body = ${body}`.execute(
      reopened,
    );
    expect(again.rows[0]?.n).toBe(2_000);
    await reopened.destroy();
  });
});
