import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open.ts';
import type { Database } from '../../db/schema.ts';
import type { CliCommand, CliContext } from '../cli/command.ts';
import { cliCommands } from '../cli/commands.ts';
import { didYouMean } from '../cli/did-you-mean.ts';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { bringSearchIndexUpToDate } from '../core/records/customers/search-index.ts';

// `liaison [--database <url>] <command> [arguments]`: loads .env and the configuration, opens and migrates the
// database, runs one command from src/cli/commands.ts, closes the database and exits with the command's code.

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

if (existsSync('.env')) process.loadEnvFile('.env');
const argv = takeDatabaseFlag(process.argv.slice(2));
process.exit(await main(argv));

async function main(args: string[] | null): Promise<number> {
  if (args === null) {
    err('liaison: --database needs a value (a PostgreSQL URL or a SQLite file path)');
    return 2;
  }
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? err : out)(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === 'help') return help(rest[0]);
  const command = find(name);
  if (!command) return unknown(name);
  if (rest[0] === '--help' || rest[0] === '-h') {
    out(command.usage);
    return 0;
  }

  let config: Config;
  let configProblems: string[] | undefined;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (command.needsConfig !== false) {
      err(`liaison: ${error.message}`);
      err(
        'See .env.example and docs/deploy/configuration.md for every variable; `liaison doctor` checks the whole setup.',
      );
      return 1;
    }
    configProblems = error.problems;
    config = defaultsConfig();
  }

  const opened =
    command.needsDatabase === false
      ? null
      : openDatabase(config.databaseUrl, config.databasePoolSize, {
          namedStatements: config.databaseNamedStatements,
        });
  try {
    let appliedMigrations: string[] = [];
    if (opened) {
      try {
        appliedMigrations = await migrateToLatest(opened.db);
        await bringSearchIndexUpToDate(opened.db, Date.now());
      } catch (error) {
        err(`liaison: cannot use the database (${opened.description}): ${message(error)}`);
        err('Check DATABASE_URL (or --database) and that the database server is running.');
        return 1;
      }
    }
    const ctx: CliContext = {
      config,
      db: opened?.db ?? notOpened(),
      dialect: opened?.dialect ?? (/^postgres(ql)?:\/\//i.test(config.databaseUrl) ? 'postgres' : 'sqlite'),
      out,
      err,
      interactive: process.stderr.isTTY === true,
      now: () => Date.now(),
      appliedMigrations,
      ...(opened ? { databaseDescription: opened.description } : {}),
      ...(configProblems ? { configProblems } : {}),
    };
    return await command.run(rest, ctx);
  } catch (error) {
    err(`liaison ${command.name}: ${message(error)}`);
    if (['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '') && error instanceof Error && error.stack)
      err(error.stack);
    return 1;
  } finally {
    await opened?.db.destroy().catch(() => {});
  }
}

/** Removes `--database <url>` / `--database=<url>` (anywhere) and applies it as DATABASE_URL; null when it has no value. */
function takeDatabaseFlag(args: string[]): string[] | null {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--database' || arg.startsWith('--database=')) {
      const value = arg === '--database' ? args[++i] : arg.slice('--database='.length);
      if (!value?.trim()) return null;
      process.env.DATABASE_URL = value;
    } else {
      rest.push(arg);
    }
  }
  return rest;
}

function find(name: string): CliCommand | undefined {
  return cliCommands.find((c) => c.name === name);
}

function unknown(name: string): number {
  const suggestion = didYouMean(
    name,
    cliCommands.map((c) => c.name),
  );
  err(`liaison: unknown command "${name}".${suggestion ? ` Did you mean "${suggestion}"?` : ''}`);
  err('Run `liaison help` to list the commands.');
  return 2;
}

function help(name: string | undefined): number {
  if (name === undefined) {
    out(overview());
    return 0;
  }
  const command = find(name);
  if (!command) return unknown(name);
  out(command.usage);
  return 0;
}

function overview(): string {
  const width = Math.max(8, ...cliCommands.map((c) => c.name.length)) + 2;
  return [
    'Usage: liaison [--database <url>] <command> [arguments]',
    '',
    'Commands:',
    ...cliCommands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    `  ${'help'.padEnd(width)}Show this list, or one command's usage: liaison help <command>`,
    '',
    'Options:',
    '  --database <url>  Use this database instead of DATABASE_URL (postgres://… or a SQLite file path)',
    '',
    'Reads .env in the current folder and the environment, like `npm start`.',
  ].join('\n');
}

/** The configuration's defaults, keeping the database the user named, for commands that diagnose a broken setup. */
function defaultsConfig(): Config {
  try {
    return loadConfig({ DATABASE_URL: process.env.DATABASE_URL });
  } catch {
    return loadConfig({});
  }
}

function notOpened(): Kysely<Database> {
  return new Proxy({} as Kysely<Database>, {
    get() {
      throw new Error('this command opens the database itself (needsDatabase: false)');
    },
  });
}
