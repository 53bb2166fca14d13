import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresConnectError } from '../../db/connect-error.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { databasePasswords, openDatabase } from '../../db/open.ts';
import { openPostgres } from '../../db/postgres.ts';
import type { Database } from '../../db/schema.ts';
import { openSqlite } from '../../db/sqlite.ts';
import { sqliteCreateProblem } from '../../db/sqlite-problem.ts';
import { databaseWriteProblem } from '../../db/write-check.ts';
import { dialectsUnderTest } from '../helpers/databases.ts';

const dir = mkdtempSync(join(tmpdir(), 'liaison-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first query's error: opening fails there, not in a constructor. */
async function firstQueryError(db: Kysely<Database>): Promise<string> {
  try {
    await sql`select 1`.execute(db);
    return 'no error';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await db.destroy().catch(() => {});
  }
}

describe('opening a database that cannot be used', () => {
  it('says why a SQLite file cannot be opened: a folder that cannot be made, a folder named as the file, not a database', async () => {
    const aFile = join(dir, 'not-a-folder');
    writeFileSync(aFile, 'x');
    expect(await firstQueryError(openSqlite(join(aFile, 'data', 'liaison.sqlite')))).toBe(
      `${aFile} is a file, so the folder ${join(aFile, 'data')} cannot be made`,
    );
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(await firstQueryError(openSqlite(folder))).toBe(
      'that is a folder, not a file — name a file, e.g. ./data/liaison.sqlite',
    );
    const text = join(dir, 'notes.sqlite');
    writeFileSync(
      text,
      'these are not the pages of a database, just some text long enough to be read'.repeat(20),
    );
    expect(await firstQueryError(openSqlite(text))).toBe(
      'the file is not a SQLite database (or is encrypted)',
    );
    // A file that could be created gives no problem, and creating nothing was checked.
    expect(sqliteCreateProblem(join(dir, 'new', 'deeper', 'liaison.sqlite'))).toBeNull();
  });

  it('names the PostgreSQL server (host:port, no password) and the cause when it cannot connect', async () => {
    const message = await firstQueryError(openPostgres('postgres://liaison:pw-0123456789@127.0.0.1:1/x', 1));
    expect(message).toBe(
      'cannot connect to PostgreSQL at 127.0.0.1:1: connection refused — is PostgreSQL running and listening on that address and port?',
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    // Node reports a name with several addresses as an AggregateError whose own message is empty.
    expect(postgresConnectError(new AggregateError([refused], ''), 'localhost:5432').message).toMatch(
      /^cannot connect to PostgreSQL at localhost:5432: connection refused/,
    );
    const unknownHost = Object.assign(new Error('getaddrinfo ENOTFOUND db.invalid'), { code: 'ENOTFOUND' });
    expect(postgresConnectError(unknownHost, 'db.invalid:5432').message).toBe(
      'cannot connect to PostgreSQL at db.invalid:5432: the host name does not resolve — check the host in DATABASE_URL',
    );
  });

  it('describes a PostgreSQL URL without its password, in the user part or as a query parameter', () => {
    const describe = (url: string) => openDatabase(url, 3).description;
    expect(describe('postgres://liaison:hunter2-pw@db.example:6543/crm')).toBe(
      'postgres postgres://liaison:***@db.example:6543/crm (pool 3)',
    );
    const query = describe(
      'postgresql://liaison@db.example/crm?password=hunter2-pw&sslpassword=key-pw&sslmode=require',
    );
    expect(query).toBe(
      'postgres postgresql://liaison@db.example/crm?password=***&sslpassword=***&sslmode=require (pool 3)',
    );
    expect(databasePasswords('postgres://u:p%40ss-word@h/db?password=second-pw')).toEqual(
      expect.arrayContaining(['p@ss-word', 'second-pw']),
    );
  });
});

describe('a database that answers but takes no writes', () => {
  it('is found on a SQLite file opened read-only, and not on a writable one', async () => {
    const file = join(dir, 'read-only.sqlite');
    const writable = openSqlite(file);
    await migrateToLatest(writable);
    expect(await databaseWriteProblem(writable)).toBeNull();
    await writable.destroy();
    const readOnly = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new BetterSqlite3(file, { readonly: true }) }),
    });
    expect(await databaseWriteProblem(readOnly)).toBe(
      'the file is read-only: every write would fail — make the file and its folder writable for the user running Liaison',
    );
    await readOnly.destroy();
  });

  for (const dialect of dialectsUnderTest().filter((d) => d.name.startsWith('postgres')))
    it(`is found on a read-only PostgreSQL session (${dialect.name})`, async () => {
      const t = await dialect.open();
      try {
        expect(await databaseWriteProblem(t.db)).toBeNull();
        // PGlite has one session; a server's pool may hand out another connection, so ask on the same one.
        const problem = await t.db.connection().execute(async (c) => {
          await sql`set default_transaction_read_only = on`.execute(c);
          return databaseWriteProblem(c);
        });
        expect(problem).toMatch(/^it is read-only \(a standby, or default_transaction_read_only\)/);
      } finally {
        await t.cleanup();
      }
    });
});
