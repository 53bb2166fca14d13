// The web app's client (src/web/client) as the browser loads it: minified, content-hashed, with a manifest.
// `npm start`, `npm run worker:build` and the tests run this first; Node serves the files under /app/assets/, Workers
// through wrangler.toml's [assets] (the same files: dist/web is laid out as the site's paths).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the built files go: `<outRoot>/app/assets/…`, served at `/app/assets/…`. */
export const WEB_OUT = join(root, 'dist', 'web');

/** The manifest's entries: the logical name a page asks for, and the hashed file that holds it. */
export type WebManifest = Record<string, string>;

export async function buildWeb(outRoot = WEB_OUT): Promise<WebManifest> {
  const assets = join(outRoot, 'app', 'assets');
  rmSync(outRoot, { recursive: true, force: true });
  mkdirSync(assets, { recursive: true });
  const result = await build({
    // The managers' console is its own entry: the panel's first load never carries it.
    entryPoints: {
      panel: join(root, 'src/web/client/main.tsx'),
      console: join(root, 'src/web/client/console/main.tsx'),
    },
    bundle: true,
    minify: true,
    format: 'esm',
    // WeCom's and Telegram's webviews are recent Chromium or WebKit: ES2020 runs on all of them.
    target: 'es2020',
    // The WeCom JS-SDK is loaded only inside WeCom: its own chunk.
    splitting: true,
    chunkNames: '[name]-[hash]',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: assets,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    // The CJK fallback font (panel.css): copied under a hashed name, fetched only where the system has no CJK face.
    loader: { '.otf': 'file' },
    logLevel: 'warning',
  });
  const manifest: WebManifest = {};
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint && !file.endsWith('.css')) continue;
    const name = basename(file);
    manifest[name.replace(/-[A-Z0-9]+(\.\w+)$/, '$1')] = name;
  }
  writeFileSync(join(assets, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Workers static assets read their headers from `_headers`: hashed names never change, so cache them for good.
  writeFileSync(
    join(outRoot, '_headers'),
    '/app/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n  X-Content-Type-Options: nosniff\n',
  );
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = await buildWeb();
  console.log(`web client built into dist/web: ${Object.values(manifest).join(', ')}`);
}
