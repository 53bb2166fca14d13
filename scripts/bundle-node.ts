import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { build, type Plugin, transformSync } from 'esbuild';

/**
 * Packages built into the chunk that imports them, minified, with what they import in turn. The Lark SDK is one 6 MB
 * file whose Chinese comments make V8 hold its source as an 11 MiB two-byte string; minified it is under 2 MiB.
 */
const BUNDLED = /^@larksuiteoapi\/node-sdk$/;

/** Bare imports stay in node_modules (as `packages: 'external'` does), except BUNDLED and its own imports. */
const vendor: Plugin = {
  name: 'vendor',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED.test(args.path) || /[\\/]node_modules[\\/]/.test(args.importer)
        ? undefined
        : { external: true },
    );
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.(c?js|mjs)$/ }, (args) => ({
      contents: transformSync(readFileSync(args.path, 'utf8'), {
        minify: true,
        // Bundled CommonJS has no `__dirname` of its own; the SDK reads its version beside it.
        define: { __dirname: JSON.stringify(dirname(args.path)) },
        logLevel: 'silent',
      }).code,
      loader: 'js',
    }));
  },
};

/**
 * Bundles TypeScript entries to plain JavaScript (`<outdir>/<name>.mjs`) for Node. Running through tsx costs ~60 MiB
 * of resident memory (a loader thread compiling every module), which the 150 MiB target cannot spare. node_modules
 * stay external but for the Lark SDK (above), and the code is split so what is imported on first use (chart
 * renderer, Lark SDK) loads only then.
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
    plugins: [vendor],
    // Bundled CommonJS requires Node's built-in modules at run time.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
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
