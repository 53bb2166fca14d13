import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../db/sqlite.ts';
import {
  MAIN_CONNECTION_CHECKPOINT_PAGES,
  WAL_FILE_KEPT_BYTES,
  WAL_QUIET_MS,
} from '../../db/sqlite-checkpoints.ts';
import { waitFor } from '../helpers/harness.ts';

const folder = mkdtempSync(join(tmpdir(), 'liaison-checkpoints-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('an embedded SQLite file checkpoints in the background', () => {
  it('cuts the WAL back once writes pause, never inside a write, without the main connection checkpointing, and leaves none behind when closed', async () => {
    const file = join(folder, 'busy.sqlite');
    const db = openSqlite(file);
    await sql`create table blobs (id integer primary key, body text not null)`.execute(db);
    const mainThreshold = async () =>
      (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]
        ?.wal_autocheckpoint;
    // Once the background connection has checkpointed, the main one only checkpoints as a 64 MiB backstop.
    await waitFor(async () => (await mainThreshold()) === MAIN_CONNECTION_CHECKPOINT_PAGES);
    const body = 'x'.repeat(8_000);
    // ~33 MB in one transaction: its frames all go to the WAL, which grows past the size kept after a burst.
    await db.transaction().execute(async (trx) => {
      for (let n = 0; n < 4_000; n++) await sql`insert into blobs (body) values (${body})`.execute(trx);
    });
    const walBytes = () => statSync(`${file}-wal`).size;
    expect(walBytes()).toBeGreaterThan(WAL_FILE_KEPT_BYTES);
    // While small writes go on, no commit cuts the file back (the WAL restarts after each checkpoint all the same);
    // a loaded host that stalled this test for the quiet period between two writes may see it cut, and rightly.
    const writingUntil = Date.now() + WAL_QUIET_MS * 0.75;
    let wroteAt = Date.now();
    while (Date.now() < writingUntil) {
      const quiet = Date.now() - wroteAt;
      await sql`insert into blobs (body) values ('small')`.execute(db);
      wroteAt = Date.now();
      if (quiet < WAL_QUIET_MS) expect(walBytes()).toBeGreaterThan(WAL_FILE_KEPT_BYTES);
      await new Promise((r) => setTimeout(r, 10));
    }
    // Once they pause, the background connection truncates it.
    await waitFor(() => walBytes() <= WAL_FILE_KEPT_BYTES);
    expect(await mainThreshold()).toBe(MAIN_CONNECTION_CHECKPOINT_PAGES);
    const count = await sql<{ n: number }>`select count(*) as n from blobs where body = ${body}`.execute(db);
    expect(count.rows[0]?.n).toBe(4_000);
    await db.destroy();
    await waitFor(() => !existsSync(`${file}-wal`));
    const reopened = openSqlite(file);
    const again = await sql<{ n: number }>`select count(*) as n from blobs where body = ${body}`.execute(
      reopened,
    );
    expect(again.rows[0]?.n).toBe(4_000);
    await reopened.destroy();
  });
});
