import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles TypeScript entries to plain JavaScript (`<outdir>/<name>.mjs`) for Node. Running through tsx costs ~60 MiB
 * of resident memory (a loader thread compiling every module), which the 150 MiB target cannot spare. node_modules
 * stay external, and the code is split so what is imported on first use (chart renderer, Lark SDK) loads only then.
 */
export async function bundleForNode(entryPoints: Record<string, string>, outdir: string): Promise<void> {
  const result = await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
  });
  // Chunks of earlier builds would pile up under their old hashes.
  const chunks = join(outdir, 'chunks');
  mkdirSync(chunks, { recursive: true });
  const current = new Set(Object.keys(result.metafile.outputs).map((file) => basename(file)));
  for (const file of readdirSync(chunks)) if (!current.has(file)) rmSync(join(chunks, file));
}
