import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../db/sqlite.ts';
import { MAIN_CONNECTION_CHECKPOINT_PAGES } from '../../db/sqlite-checkpoints.ts';
import { waitFor } from '../helpers/harness.ts';

const folder = mkdtempSync(join(tmpdir(), 'liaison-checkpoints-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('an embedded SQLite file checkpoints in the background', () => {
  it('keeps the WAL small while writes go on, and leaves none behind when closed', async () => {
    const file = join(folder, 'busy.sqlite');
    const db = openSqlite(file);
    await sql`create table blobs (id integer primary key, body text not null)`.execute(db);
    const pages = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
    // The main connection only checkpoints as a backstop; SQLite's default would do it inside a commit.
    expect(pages.rows[0]?.wal_autocheckpoint).toBe(MAIN_CONNECTION_CHECKPOINT_PAGES);
    const body = 'x'.repeat(8_000);
    let largestWal = 0;
    // ~48 MB in 3,000 commits over more than a second: without checkpoints the WAL would hold all of it.
    for (let round = 0; round < 30; round++) {
      for (let n = 0; n < 100; n++) await sql`insert into blobs (body) values (${body})`.execute(db);
      largestWal = Math.max(largestWal, statSync(`${file}-wal`).size);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    const count = await sql<{ n: number }>`select count(*) as n from blobs`.execute(db);
    expect(count.rows[0]?.n).toBe(3_000);
    expect(largestWal).toBeLessThan(24 * 1024 * 1024);
    await db.destroy();
    await waitFor(() => !existsSync(`${file}-wal`));
    const reopened = openSqlite(file);
    const again = await sql<{ n: number }>`select count(*) as n from blobs`.execute(reopened);
    expect(again.rows[0]?.n).toBe(3_000);
    await reopened.destroy();
  });
});
