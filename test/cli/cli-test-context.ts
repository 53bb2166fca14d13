import type { CliContext } from '../../src/cli/command.ts';
import { loadConfig } from '../../src/config.ts';
import type { TestDatabase } from '../helpers/databases.ts';

/** A real CliContext over a test database, with what the command prints kept for the test to read. */
export interface RecordingContext extends CliContext {
  stdout: string[];
  stderr: string[];
}

export function cliContext(
  t: TestDatabase,
  options: { now?: number; interactive?: boolean; env?: Record<string, string> } = {},
): RecordingContext {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    config: loadConfig(options.env ?? {}),
    db: t.db,
    dialect: t.dialect,
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    interactive: options.interactive ?? false,
    now: () => options.now ?? Date.now(),
    stdout,
    stderr,
  };
}

/** The `db` of a command that opens its own database (`needsDatabase: false`): any use is a test failure. */
export function notNeeded(): CliContext['db'] {
  return new Proxy({} as CliContext['db'], {
    get() {
      throw new Error('this command opens the database itself (needsDatabase: false)');
    },
  });
}
