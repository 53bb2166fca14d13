import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { WebChannel } from '../../adapters/web/index.ts';
import { SECRET_HEADER } from '../../adapters/web/types.ts';
import { isLoopbackHost } from '../../adapters/web/verify.ts';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import { listWebCustomers, listWebStaff, readFeed, readImage, seedPlaygroundStaff } from './data.ts';
import { pageLanguage, playgroundMessages } from './messages.ts';
import { htmlLang, playgroundHtml, playgroundIcon } from './page.ts';
import { playgroundScript } from './script.ts';
import { playgroundCss } from './style.ts';

export interface PlaygroundDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The web channel: its secret goes into the page, and the page's posts go to its webhook. */
  channel: WebChannel;
}

// Scripts and styles come from this origin only: with no inline script, injected markup could not run anyway.
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // The page carries the secret: never kept by a cache.
  'cache-control': 'no-store',
};

const cursor = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0);
const feedQuery = z.object({ afterIn: cursor, afterOut: cursor });
const imageId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * `/playground`: the page where you chat as a customer and as staff over the local web channel. Served to this
 * computer only (a loopback client, addressed by a loopback name); its reads need the page's secret. The page posts
 * to `/webhooks/web`, so every message takes the real path: verify → inbox → core → outbox → the web adapter's send.
 */
export function playgroundRoutes(deps: PlaygroundDeps): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (!isLocalRequest(c)) return c.text(playgroundMessages[languageOfPage(c)].notLocal, 403);
    c.header('x-content-type-options', 'nosniff');
    c.header('cache-control', 'no-store');
    await next();
  });
  app.get('/', (c) => {
    const lang = languageOfPage(c);
    const headers = { ...PAGE_HEADERS, 'content-language': htmlLang(lang), vary: 'accept-language' };
    return c.html(playgroundHtml(deps.channel.pageSecret, lang), 200, headers);
  });
  app.get('/assets/app.js', (c) =>
    c.body(playgroundScript, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.get('/assets/icon.svg', (c) => c.body(playgroundIcon, 200, { 'content-type': 'image/svg+xml' }));
  app.get('/assets/style.css', (c) =>
    c.body(playgroundCss, 200, { 'content-type': 'text/css; charset=utf-8' }),
  );

  app.use('/api/*', async (c, next) => {
    const given = c.req.header(SECRET_HEADER);
    if (!given || !deps.channel.secretMatches(given))
      return c.json({ error: 'missing or wrong playground secret' }, 401);
    await next();
  });
  // One look-and-seed at a time: a pane loading while another seeds would otherwise list a half-seeded staff.
  let staffTurn: Promise<unknown> = Promise.resolve();
  app.get('/api/staff', async (c) => {
    const language = languageOfPage(c);
    const listing = staffTurn.then(async () => {
      const listed = await listWebStaff(deps.db);
      if (listed.staff.length > 0) return listed;
      await seedPlaygroundStaff(deps, language);
      return listWebStaff(deps.db);
    });
    staffTurn = listing.catch(() => {});
    return c.json(await listing);
  });
  app.get('/api/customers', async (c) => c.json({ customers: await listWebCustomers(deps.db) }));
  app.get('/api/feed', async (c) => {
    const query = feedQuery.safeParse(c.req.query());
    if (!query.success) return c.json({ error: 'afterIn and afterOut must be whole numbers' }, 400);
    return c.json(await readFeed(deps.db, query.data.afterIn, query.data.afterOut));
  });
  app.get('/api/images/:id', async (c) => {
    const id = imageId.safeParse(c.req.param('id'));
    const image = id.success ? await readImage(deps.db, id.data) : null;
    if (!image) return c.json({ error: 'no such image' }, 404);
    const jpeg = image[0] === 0xff && image[1] === 0xd8;
    return c.body(image, 200, { 'content-type': jpeg ? 'image/jpeg' : 'image/png' });
  });
  return app;
}

/** The page's language: its language switch (`?lang=`), else the browser's `Accept-Language`. */
const languageOfPage = (c: Context) => pageLanguage(c.req.query('lang'), c.req.header('accept-language'));

/** A request from this computer (loopback peer) that names it by a loopback host (no DNS rebinding). */
function isLocalRequest(c: Context): boolean {
  if (!isLoopbackHost(c.req.header('host') ?? null)) return false;
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    return false; // not a Node socket (a Worker): no way to tell, so no playground
  }
  return address !== undefined && isLoopbackAddress(address);
}

const isLoopbackAddress = (address: string) =>
  address === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
