import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed command: bin/liaison.mjs, which runs src/entry/cli.ts through tsx. */
export const liaisonBin = fileURLToPath(new URL('../../bin/liaison.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `liaison <args>` as a user would, in its own process, with only the given environment (and PATH, HOME). */
export function runLiaison(args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, [liaisonBin, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
