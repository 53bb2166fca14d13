import { playgroundClient } from './client.ts';
import { playgroundView } from './client-view.ts';
import { playgroundMessages } from './messages.ts';

/**
 * The page's script as served: the source of `playgroundClient` (real code that tsc and biome check), called with
 * the message catalogue and `playgroundView`. Built from the running code itself, so it needs no file at run time.
 * tsx and wrangler compile with esbuild's keepNames, which wraps named functions in a module-level `__name(fn, name)`
 * the browser does not have: the script brings a stand-in. (Cloudflare Workers never serve the playground.)
 */
export const playgroundScript = [
  "'use strict';",
  'var __name = function (fn) { return fn; };',
  `(${playgroundClient.toString()})(`,
  `  ${JSON.stringify(playgroundMessages).replace(/</g, '\\u003c')},`,
  `  ${playgroundView.toString()},`,
  ');',
  '',
].join('\n');
