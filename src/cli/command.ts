import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Config } from '../config.ts';

/** What every `liaison` subcommand gets: the loaded configuration, an open and migrated database, and its output. */
export interface CliContext {
  config: Config;
  /** Opened from DATABASE_URL (or `--database`) and migrated before the command runs. */
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /** Results, one line per call (stdout). */
  out(line: string): void;
  /** Progress and problems (stderr); progress lines may use `\r` when stderr is a terminal. */
  err(line: string): void;
  /** True when stderr is a terminal (progress bars redraw in place; otherwise they print a line now and then). */
  interactive: boolean;
  /** Epoch milliseconds (injected so tests can fix the time). */
  now(): number;
  /** The migrations the entry applied just before this command (empty when the database was up to date). */
  appliedMigrations?: string[];
  /** Where the database lives, with any password removed: safe to print. */
  databaseDescription?: string;
  /**
   * Every configuration problem, when the configuration did not load. Only commands with `needsConfig: false` run
   * then, and their `config` holds the defaults (with DATABASE_URL as given).
   */
  configProblems?: string[];
}

/**
 * One `liaison <name>` subcommand. `run` returns the process exit code: 0 done, 1 failed (with the reason printed on
 * `err`, one line per problem), 2 bad usage (with `usage` printed).
 */
export interface CliCommand {
  name: string;
  /** One line for `liaison help`. */
  summary: string;
  /** The full usage text, shown by `liaison help <name>` and on bad usage. */
  usage: string;
  /** Commands that must work on a broken setup (`doctor`) open the database themselves: set `needsDatabase: false`. */
  needsDatabase?: boolean;
  /** Commands that diagnose a broken setup (`doctor`) run even when the configuration does not load. */
  needsConfig?: boolean;
  run(args: string[], ctx: CliContext): Promise<number>;
}
