import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../db/migrate.ts';
import { openSqlite } from '../db/sqlite.ts';
import { loadConfig } from '../src/config.ts';
import { startNodeServer } from '../src/node/server.ts';
import { nodeEntry, runScript, startChildServer } from './helpers/child-process.ts';
import { serverDialectsUnderTest } from './helpers/databases.ts';

// Each run starts a Node process through tsx; on a busy machine that takes seconds.
const SLOW = 120_000;
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liaison-start-db-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm start` as another user (root reads and writes any file, so a read-only file is only read-only to others). */
function startAs(uid: number | undefined, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', tsxLoader, nodeEntry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: dir,
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('starting on a database that cannot be used', () => {
  it('refuses a read-only SQLite file, naming it and what to do, instead of starting "healthy"', {
    timeout: SLOW,
  }, async () => {
    const file = join(dir, 'read-only.sqlite');
    const db = openSqlite(file);
    await migrateToLatest(db);
    await db.destroy();
    chmodSync(file, 0o444);
    // The folder stays writable (SQLite's -wal and -shm files): only the database file is read-only.
    chmodSync(dir, 0o777);
    const nobody = process.getuid?.() === 0 ? 65534 : undefined;
    const result = await startAs(nobody, { PORT: '0', DATABASE_URL: file });
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('listening');
    expect(result.stderr.trim()).toBe(
      `Liaison cannot start: cannot use the database sqlite ${file}: the file is read-only: every write would fail — make the file and its folder writable for the user running Liaison`,
    );
  });

  it('names an unreachable PostgreSQL by host:port, in one line and without the password', {
    timeout: SLOW,
  }, async () => {
    const result = await runScript(
      nodeEntry,
      { PORT: '0', DATABASE_URL: 'postgres://liaison:start-pw-0123@127.0.0.1:1/crm?password=query-pw-0123' },
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Liaison cannot start: cannot use the database postgres postgres://liaison:***@127.0.0.1:1/crm?password=*** (pool 10): cannot connect to PostgreSQL at 127.0.0.1:1: connection refused — is PostgreSQL running and listening on that address and port?',
    );
    expect(result.stderr + result.stdout).not.toMatch(/start-pw|query-pw/);
  });

  it('names a SQLite path whose folder cannot be made, and why', { timeout: SLOW }, async () => {
    const aFile = join(dir, 'plain-file');
    writeFileSync(aFile, 'x');
    const result = await runScript(
      nodeEntry,
      { PORT: '0', DATABASE_URL: join(aFile, 'data', 'liaison.sqlite') },
      dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `Liaison cannot start: cannot use the database sqlite ${join(aFile, 'data', 'liaison.sqlite')}: ${aFile} is a file, so the folder ${join(aFile, 'data')} cannot be made`,
    );
  });
});

describe('/healthz and a database that stops taking writes', () => {
  it('refuses to start on it, and answers 503 when it becomes read-only after the start', {
    timeout: SLOW,
  }, async () => {
    const db = openSqlite(join(dir, 'health.sqlite'));
    await migrateToLatest(db);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', PLAYGROUND: 'off' });
    const logger = pino({ level: 'silent' });
    // query_only makes SQLite refuse every write as it does for a read-only file (SQLITE_READONLY).
    await sql`pragma query_only = 1`.execute(db);
    await expect(startNodeServer({ config, logger, db })).rejects.toThrow(
      'cannot use the database provided database: the file is read-only',
    );
    await sql`pragma query_only = 0`.execute(db);
    const server = await startNodeServer({ config, logger, db });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await sql`pragma query_only = 1`.execute(db);
      const sick = await fetch(`${server.url}/healthz`);
      expect(sick.status).toBe(503);
      expect(await sick.json()).toEqual({ status: 'database read-only' });
      await sql`pragma query_only = 0`.execute(db);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      await db.destroy();
    }
  });
});

for (const dialect of serverDialectsUnderTest().filter((d) => d.name === 'postgres'))
  describe(`the start-up banner on ${dialect.name}`, () => {
    it('shows the database without its password', { timeout: SLOW }, async () => {
      const t = await dialect.open({ migrate: false });
      const url = new URL(t.url as string);
      // The test server trusts local connections, so any password is accepted and must not be printed.
      url.password = 'banner-pw-0123';
      url.searchParams.set('password', 'banner-pw-0123');
      const server = await startChildServer(
        { PORT: '0', PLAYGROUND: 'off', DATABASE_URL: url.toString() },
        nodeEntry,
        dir,
      );
      try {
        const { stdout, stderr } = server.output();
        expect(stdout).toMatch(/^ {2}database {2}postgres postgres:\/\/[^:@\s]+:\*\*\*@/m);
        expect(stdout).toContain('password=***');
        expect(stdout + stderr).not.toContain('banner-pw-0123');
      } finally {
        await server.kill('SIGTERM');
        await t.cleanup();
      }
    });
  });
