import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../scripts/bundle-node.ts';

export interface Server {
  url: string;
  child: ChildProcess;
}

/** The Node flags `npm start` runs the server with (package.json), so every bench server runs as Liaison does. */
function startFlags(): string[] {
  // BENCH_NODE_FLAGS tries other flags (e.g. `--max-semi-space-size=2`) without editing package.json.
  if (process.env.BENCH_NODE_FLAGS !== undefined)
    return process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/server\.mjs/.exec(pkg.scripts.start)?.[1];
  if (flags === undefined) throw new Error('package.json "start" no longer runs `node … dist/server.mjs`');
  return flags.trim().split(/\s+/).filter(Boolean);
}

/**
 * Starts a bench server script in its own process (so the load generator has the other core) and waits for READY.
 * Every server is bundled to plain JavaScript first, as `npm start` runs Liaison, so none pays for tsx.
 */
export async function startServer(script: string, env: Record<string, string>): Promise<Server> {
  const name = basename(script, '.ts');
  // A folder per server: each build prunes its own folder's stale chunks, never another running server's.
  const outdir = fileURLToPath(new URL(`../dist/bench/${name}`, import.meta.url));
  await bundleForNode({ [name]: fileURLToPath(new URL(script, import.meta.url)) }, outdir);
  const child = spawn(process.execPath, [...startFlags(), `${outdir}/${name}.mjs`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url, child };
}

export const stopServer = (s: Server) =>
  new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });

/** The server's memory, as it reports it over IPC. */
export const memoryOf = (s: Server) =>
  new Promise<{ rss: number; heapUsed: number }>((resolve) => {
    s.child.once('message', (m) => resolve(m as { rss: number; heapUsed: number }));
    s.child.send('memory');
  });
