import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const childServer = fileURLToPath(new URL('./child-server.ts', import.meta.url));
export const nodeEntry = fileURLToPath(new URL('../../src/entry/node.ts', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output(): { stdout: string; stderr: string };
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs a TypeScript entry in its own Node process (through tsx, like `npm start`). */
export function spawnScript(script: string, env: Record<string, string>, cwd?: string): ChildProcess {
  return spawn(process.execPath, ['--import', tsxLoader, script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
}

/** Starts the server process and waits until it prints its address (`READY <url>` or the start-up banner). */
export async function startChildServer(
  env: Record<string, string>,
  script = childServer,
  cwd?: string,
): Promise<ChildServer> {
  const child = spawnScript(script, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /(?:READY|listening on) (http:\/\/\S+)/.exec(stdout);
      if (m?.[1]) resolve(m[1].replace('0.0.0.0', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    process: child,
    output: () => ({ stdout, stderr }),
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Runs a script to its end and returns what it printed and its exit code. */
export function runScript(script: string, env: Record<string, string>, cwd?: string) {
  const child = spawnScript(script, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout, stderr })),
  );
}
