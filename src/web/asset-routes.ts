import { Hono } from 'hono';

// The built client (scripts/build-web.ts → dist/web/app/assets) as Node serves it. On Workers, wrangler.toml's
// [assets] serves the same directory before the Worker runs; there is no file system for this code to read.

/** The manifest's entries: a logical name (`panel.js`) and the content-hashed file that holds it. */
export type WebManifest = Record<string, string>;

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  otf: 'font/otf',
};
/** Hashed names only: letters, digits, `-`, `_`, one extension; nothing that walks out of the directory. */
const FILE = /^[\w-]+\.(js|css|json|otf)$/;

type ReadFile = (path: string) => Promise<Uint8Array>;
let reader: Promise<ReadFile | null> | null = null;

/** `node:fs` where there is one (Node); null on Workers, where the assets are the platform's to serve. */
function readFileFn(): Promise<ReadFile | null> {
  reader ??= (async () => {
    const hasFiles = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
    if (!hasFiles || (typeof navigator !== 'undefined' && navigator.userAgent === 'Cloudflare-Workers'))
      return null;
    try {
      const fs = await import('node:fs/promises');
      return (path: string) => fs.readFile(path);
    } catch {
      return null;
    }
  })();
  return reader;
}

/** The directory the server was started in holds dist/ (`npm start`, the tests); WEB_ASSETS_DIR overrides. */
const assetsDir = () =>
  process.env.WEB_ASSETS_DIR ?? `${process.cwd().replace(/\/$/, '')}/dist/web/app/assets`;

async function readAsset(name: string): Promise<Uint8Array | null> {
  const read = await readFileFn();
  if (!read) return null;
  try {
    return await read(`${assetsDir()}/${name}`);
  } catch {
    return null;
  }
}

let manifest: WebManifest | null = null;

/** Workers' static assets binding (wrangler.toml `[assets] binding = "ASSETS"`), as the Worker's env holds it. */
export interface AssetsBinding {
  fetch(request: Request): Promise<Response>;
}

/** The binding from a request's env, where the runtime gives one (Workers); undefined on Node. */
export const assetsBindingOf = (env: unknown): AssetsBinding | undefined => {
  const binding = (env as { ASSETS?: AssetsBinding } | undefined)?.ASSETS;
  return binding && typeof binding.fetch === 'function' ? binding : undefined;
};

/**
 * The built client's manifest: from dist/ on Node, through the assets binding on Workers (`pageUrl` names the
 * origin to ask it at). Null when the client was not built (`npm run build:web`).
 */
export async function webManifest(binding?: AssetsBinding, pageUrl?: string): Promise<WebManifest | null> {
  if (manifest) return manifest;
  let text: string | null = null;
  const bytes = await readAsset('manifest.json');
  if (bytes) text = new TextDecoder().decode(bytes);
  else if (binding && pageUrl) {
    const res = await binding.fetch(new Request(new URL('/app/assets/manifest.json', pageUrl)));
    text = res.ok ? await res.text() : null;
  }
  if (!text) return null;
  try {
    manifest = JSON.parse(text) as WebManifest;
  } catch {
    return null;
  }
  return manifest;
}

/** `GET /app/assets/<hashed name>`: the bytes never change under a name, so browsers keep them for a year. */
export function assetRoutes(): Hono {
  const app = new Hono();
  app.get('/:name', async (c) => {
    const name = c.req.param('name');
    const ext = FILE.exec(name)?.[1];
    const bytes = ext ? await readAsset(name) : null;
    if (!ext || !bytes) return c.text('not found', 404);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': name === 'manifest.json' ? 'no-cache' : 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  });
  return app;
}
