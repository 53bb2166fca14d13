import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate.ts';
import { openSqlite } from '../../db/sqlite.ts';
import { backupCommand } from '../../src/cli/backup.ts';
import type { CliContext } from '../../src/cli/command.ts';
import { loadConfig } from '../../src/config.ts';
import { notNeeded } from './cli-test-context.ts';
import { runLiaison } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'liaison-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command as the entry runs it (needsDatabase: false): the configuration, no database opened for it. */
function context(databaseUrl: string) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const ctx: CliContext = {
    config: loadConfig({ DATABASE_URL: databaseUrl }),
    db: notNeeded(),
    dialect: databaseUrl.startsWith('postgres') ? 'postgres' : 'sqlite',
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    interactive: false,
    now: () => Date.now(),
  };
  return { ctx, stdout, stderr };
}

/** A customer row with every column a row needs (the origin key unique per name). */
const customer = (name: string, now: number) => ({
  display_name: name,
  company: null,
  phone: null,
  email: null,
  owner_staff_id: null,
  stage: 'lead',
  language: null,
  source: 'test',
  do_not_contact: 0,
  merged_into_id: null,
  origin_key: `test:${name}`,
  search_text: name,
  first_contact_at: now,
  last_contact_at: null,
  last_inbound_at: null,
  last_outbound_at: null,
  created_at: now,
  updated_at: now,
  value_tier: null,
  sentiment: null,
  summary: null,
});

async function seeded(name: string, customers: number) {
  const file = join(dir, name);
  const db = openSqlite(file);
  await migrateToLatest(db);
  const now = Date.now();
  for (let i = 0; i < customers; i += 500)
    await db
      .insertInto('customers')
      .values(Array.from({ length: Math.min(500, customers - i) }, (_, k) => customer(`客户${i + k}`, now)))
      .execute();
  return { file, db };
}

const count = async (file: string) => {
  const copy = openSqlite(file);
  try {
    const row = await copy
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await copy.destroy();
  }
};

describe('liaison backup', () => {
  it('copies a database in use, consistently, while another connection keeps writing', async () => {
    const { file, db } = await seeded('live.sqlite', 20_000);
    const target = join(dir, 'backups', 'live-copy.sqlite');
    // The service goes on writing during the backup: the copy is whole and holds at least what was there before.
    let writing = true;
    let n = 0;
    const writer = (async () => {
      while (writing) {
        await db
          .insertInto('customers')
          .values(customer(`新${n++}`, Date.now()))
          .execute();
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const { ctx, stdout, stderr } = context(file);
    const code = await backupCommand.run([target], ctx);
    writing = false;
    await writer;
    await db.destroy();
    expect(stderr).toEqual([]);
    expect(code).toBe(0);
    expect(stdout.join('\n')).toMatch(
      new RegExp(
        `^Backed up sqlite ${file} to ${target}: [\\d.]+ MB, \\d+ migrations, \\d+ customers, 0 staff; the copy checks ok\\.$`,
      ),
    );
    expect(existsSync(`${target}.partial`)).toBe(false);
    expect(n).toBeGreaterThan(0);
    expect(await count(target)).toBeGreaterThanOrEqual(20_000);
    expect(await count(target)).toBeLessThanOrEqual(20_000 + n);
  });

  it('refuses PostgreSQL (pointing to pg_dump), an existing file, the database itself and a missing database', async () => {
    const pg = context('postgres://liaison:pw-0123456789@db.example/crm');
    expect(await backupCommand.run([join(dir, 'pg.sqlite')], pg.ctx)).toBe(1);
    expect(pg.stderr.join('\n')).toContain('the database is PostgreSQL');
    expect(pg.stderr.join('\n')).toContain('pg_dump --format=custom');
    expect(pg.stderr.join('\n')).not.toContain('pw-0123456789');

    const { file, db } = await seeded('kept.sqlite', 1);
    await db.destroy();
    const existing = join(dir, 'existing.sqlite');
    writeFileSync(existing, 'an older backup');
    const again = context(file);
    expect(await backupCommand.run([existing], again.ctx)).toBe(1);
    expect(again.stderr.join('\n')).toContain(`${existing} already exists: name a new file`);
    const itself = context(file);
    expect(await backupCommand.run([`${file}-wal`], itself.ctx)).toBe(1);
    expect(itself.stderr.join('\n')).toMatch(/is the database itself|already exists/);
    const missing = context(join(dir, 'nothing-here.sqlite'));
    expect(await backupCommand.run([join(dir, 'x.sqlite')], missing.ctx)).toBe(1);
    expect(missing.stderr.join('\n')).toContain('there is no database at');
    const usage = context(file);
    expect(await backupCommand.run([], usage.ctx)).toBe(2);
    expect(usage.stderr.join('\n')).toContain('Usage: liaison backup <file>');
  });

  it('runs from the shell without migrating the database first, and is listed by liaison help', {
    timeout: 120_000,
  }, async () => {
    const { file, db } = await seeded('shell.sqlite', 10);
    // One migration undone: a backup taken before an upgrade must be the database as it was.
    const migrations = sql<{ name: string }>`select name from kysely_migration order by name`;
    const last = (await migrations.execute(db)).rows.at(-1) as { name: string };
    await sql`delete from kysely_migration where name = ${last.name}`.execute(db);
    await db.destroy();
    const target = join(dir, 'shell-copy.sqlite');
    const result = await runLiaison(['backup', target], { DATABASE_URL: file }, dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Backed up sqlite ${file} to ${target}`);
    expect(await count(target)).toBe(10);
    const copy = openSqlite(target);
    const names = (await migrations.execute(copy)).rows;
    await copy.destroy();
    expect(names.map((n) => n.name)).not.toContain(last.name);
    const help = await runLiaison(['help'], {}, dir);
    expect(help.stdout).toMatch(/^ {2}backup +Copy the SQLite database/m);
  });
});
