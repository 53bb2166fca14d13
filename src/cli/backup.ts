import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sqlitePathOf } from '../../db/open.ts';
import type { CliCommand, CliContext } from './command.ts';

const usage = [
  'Usage: liaison backup <file>',
  '',
  "Copies the SQLite database (DATABASE_URL, or --database) to <file> with SQLite's online backup: a consistent",
  'copy taken while Liaison keeps running and writing. The copy is checked (quick_check) before it gets its name,',
  'so <file> is either a whole backup or absent. <file> must not exist yet. Nothing is migrated first: back up',
  'before an upgrade and the copy is the database as it was.',
  '',
  "Restore: stop Liaison, replace the database file with the copy (remove the old file's -wal and -shm files),",
  'start Liaison.',
  '',
  'On PostgreSQL this command refuses: use pg_dump, e.g. pg_dump --format=custom --file=liaison.dump "$DATABASE_URL"',
  '(restore with pg_restore).',
].join('\n');

/** `liaison backup <file>`: an online, consistent copy of the SQLite database, checked before it is named. */
export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Copy the SQLite database to a file while Liaison runs (online backup; PostgreSQL: use pg_dump)',
  usage,
  // Opened here, read-only in spirit: the entry would migrate first, and a backup is of the database as it is.
  needsDatabase: false,
  async run(args, ctx) {
    const [target, ...extra] = args;
    if (!target || extra.length > 0 || target.startsWith('-')) {
      ctx.err(usage);
      return 2;
    }
    const source = sqlitePathOf(ctx.config.databaseUrl);
    if (source === null) {
      ctx.err(
        'liaison backup: the database is PostgreSQL, which this command does not copy. Use pg_dump: pg_dump --format=custom --file=liaison.dump "$DATABASE_URL" (restore with pg_restore).',
      );
      return 1;
    }
    const problem = refusal(source, target);
    if (problem) {
      ctx.err(`liaison backup: ${problem}`);
      return 1;
    }
    return copy(source, target, ctx);
  },
};

function refusal(source: string, target: string): string | null {
  if (source === ':memory:')
    return 'the database is in memory (DATABASE_URL=:memory:): there is nothing to copy';
  if (!existsSync(source)) return `there is no database at ${source} (check DATABASE_URL or --database)`;
  if (existsSync(target)) return `${target} already exists: name a new file (a backup never overwrites one)`;
  const abs = resolve(target);
  if ([source, `${source}-wal`, `${source}-shm`].some((p) => resolve(p) === abs))
    return `${target} is the database itself`;
  return null;
}

async function copy(source: string, target: string, ctx: CliContext): Promise<number> {
  const partial = `${target}.partial`;
  let db: BetterSqlite3.Database | undefined;
  try {
    mkdirSync(dirname(resolve(target)), { recursive: true });
    rmSync(partial, { force: true });
    db = new BetterSqlite3(source, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    // Everything in one step after the first: a write by the service between steps would restart the copy (and a
    // busy service could starve it), while within a step WAL mode lets the service go on writing meanwhile.
    await db.backup(partial, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
    const summary = check(partial);
    renameSync(partial, target);
    const megabytes = (statSync(target).size / 1024 / 1024).toFixed(1);
    ctx.out(`Backed up sqlite ${source} to ${target}: ${megabytes} MB, ${summary}; the copy checks ok.`);
    return 0;
  } catch (error) {
    rmSync(partial, { force: true });
    ctx.err(`liaison backup: could not back up ${source} to ${target}: ${(error as Error).message}`);
    return 1;
  } finally {
    db?.close();
  }
}

/** Opens the copy on its own and checks it; says what it holds (counts only, never customer data). */
function check(path: string): string {
  const copy = new BetterSqlite3(path, { fileMustExist: true });
  try {
    const result = copy.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`the copy does not check out (${String(result)})`);
    const has = (table: string) =>
      copy.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
    const count = (table: string) =>
      has(table) ? (copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n : 0;
    return `${count('kysely_migration')} migrations, ${count('customers')} customers, ${count('staff')} staff`;
  } finally {
    copy.close();
  }
}
