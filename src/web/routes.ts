import { Hono, type MiddlewareHandler } from 'hono';
import type { WebAppSettings } from '../config-web.ts';
import { languageOf, languageOfHeader } from '../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import type { Platform } from '../core/ports/events.ts';
import { endWebSession, peekSignInLink, webSessionOf } from '../core/records/staff/web-sessions.ts';
import { signInWithLink, signInWithPlatform } from '../core/records/staff/web-sign-in.ts';
import { readBodyWithin } from '../http/read-body.ts';
import { assetRoutes, assetsBindingOf, webManifest } from './asset-routes.ts';
import { isImportUpload, uploadWithin } from './console/import-routes.ts';
import { consolePageRoutes, consoleRoutes } from './console-routes.ts';
import { confirmLinkPage, linkUnusablePage, panelPage, signedInPage, signedOutPage } from './pages.ts';
import { panelRecordRoutes } from './panel-record-routes.ts';
import { panelRoutes } from './panel-routes.ts';
import {
  clearSessionCookies,
  csrfMatches,
  csrfTokenOf,
  sameOrigin,
  securityHeaders,
  sessionToken,
  setSessionCookies,
  webOrigin,
} from './security.ts';
import { requestSession, type WebEnv } from './session.ts';

export interface WebAppDeps {
  core: CoreDeps;
  /** PUBLIC_URL: the app's origin (Origin checks, cookies) and the pages a JS-SDK signature may be for. */
  publicUrl: string;
  settings: WebAppSettings;
}

/** Sign-in requests are a proof or a token: small. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The web app's server side, under `/app`: signing in (a platform client's proof, or a one-time link from the chat),
 * the session, signing pages for a client's JS-SDK, and who is signed in. Every write checks Origin; every write
 * made within a session also checks its CSRF token.
 */
export function webAppRoutes(deps: WebAppDeps): Hono {
  const { core } = deps;
  const adapters = [...core.adapters.values()];
  const o = webOrigin(
    deps.publicUrl,
    adapters.flatMap((a) => a.signIn?.framedBy ?? []),
  );
  const app = new Hono<WebEnv>();
  const headers = securityHeaders(o);
  const lang = (c: { req: { header(name: string): string | undefined } }) =>
    languageOfHeader(c.req.header('accept-language'));

  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  });
  // Writes: only from the app's own pages, and small.
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (!sameOrigin(c, o)) return c.json({ error: 'cross-origin request refused' }, 403);
    // The console's import upload is a file (bytes, up to IMPORT_MAX_MB), not a small form.
    if (isImportUpload(c.req.path)) return uploadWithin(c, next, deps.settings.importMaxBytes);
    const body = await readBodyWithin(c.req.raw, MAX_BODY_BYTES);
    if (body === null) return c.json({ error: `the body is over ${MAX_BODY_BYTES} bytes` }, 413);
    c.req.raw = new Request(c.req.raw, { body });
    await next();
  });
  // Within a session: the session found, and a write's CSRF token checked.
  const requireSession: MiddlewareHandler<WebEnv> = async (c, next) => {
    const token = sessionToken(c, o);
    const session = await webSessionOf(core.db, token, core.clock.now());
    if (!session) return c.json({ error: 'not signed in' }, 401);
    if (c.req.method !== 'GET' && !(await csrfMatches(c, o, token)))
      return c.json({ error: 'CSRF token missing or wrong' }, 403);
    c.set('webSession', session);
    c.set('webToken', token);
    await next();
  };
  for (const path of ['/me', '/sign-out', '/page-signature/*', '/api/*']) app.use(path, requireSession);
  app.route('/api/console', consoleRoutes(core));
  app.route('/api', panelRoutes(core));
  app.route('/api', panelRecordRoutes(core));
  app.route(
    '/console',
    consolePageRoutes((c) => webSessionOf(core.db, sessionToken(c, o), core.clock.now()), lang),
  );

  app.get('/', async (c) => {
    const session = await webSessionOf(core.db, sessionToken(c, o), core.clock.now());
    // The panel where its client is built (scripts/build-web.ts); otherwise who is signed in, as before.
    const built = await webManifest(assetsBindingOf(c.env), c.req.url);
    const js = built?.['panel.js'];
    // Without a session the client signs in through its host (a Mini App, WeCom's or Feishu's webview), or says how.
    if (!session)
      return js
        ? c.html(panelPage(lang(c), { js, css: built['panel.css'] }), 401)
        : c.html(signedOutPage(lang(c)), 401);
    const staffLang = languageOf(session.staff.language);
    if (js) return c.html(panelPage(staffLang, { js, css: built['panel.css'] }));
    return c.html(signedInPage(staffLang, session.staff.display_name));
  });

  // What each host's client needs to ask its platform for a proof (public ids, no secrets), before any session.
  app.get('/host-config', (c) =>
    c.json(
      Object.fromEntries(
        adapters.flatMap((a) => (a.signIn ? [[a.platform, { ...a.signIn.clientConfig }]] : [])),
      ),
    ),
  );

  app.get('/me', async (c) => {
    const s = requestSession(c);
    return c.json({
      staff: {
        id: s.staff.id,
        name: s.staff.display_name,
        role: s.staff.role,
        teamId: s.staff.team_id,
        language: languageOf(s.staff.language),
      },
      host: s.host,
      expiresAt: new Date(s.expiresAt).toISOString(),
      csrfToken: await csrfTokenOf(c.get('webToken')),
    });
  });

  app.post('/sign-out', async (c) => {
    await endWebSession(core.db, c.get('webToken'), core.clock.now());
    clearSessionCookies(c, o);
    return c.body(null, 204);
  });

  // A one-time link: opening it only asks; the form posts the token, and that uses it.
  app.get('/link', async (c) => {
    const token = c.req.query('t') ?? '';
    const staff = token ? await peekSignInLink(core.db, token, core.clock.now()) : null;
    if (!staff) return c.html(linkUnusablePage(lang(c)), 410);
    return c.html(confirmLinkPage(languageOf(staff.language), staff.display_name, token));
  });

  app.post('/sign-in/link', async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = typeof form.token === 'string' ? form.token : '';
    const now = core.clock.now();
    const result = token
      ? await signInWithLink(core.db, { token, ttlMs: deps.settings.sessionTtlMs, now })
      : null;
    if (!result?.ok) return c.html(linkUnusablePage(lang(c)), 410);
    await setSessionCookies(c, o, result.token, result.expiresAt - now, false);
    return c.redirect('/app', 303);
  });

  app.post('/sign-in/:platform', async (c) => {
    const adapter = core.adapters.get(c.req.param('platform'));
    const signIn = adapter?.signIn;
    if (!adapter || !signIn) return c.json({ error: 'no sign-in through this platform' }, 404);
    const body = (await c.req.json().catch(() => null)) as { proof?: unknown } | null;
    const proof = typeof body?.proof === 'string' ? body.proof : '';
    if (!proof) return c.json({ error: 'proof required' }, 400);
    const now = core.clock.now();
    let identity: Awaited<ReturnType<typeof signIn.identify>>;
    try {
      identity = await signIn.identify(proof, { now, maxAgeMs: deps.settings.proofMaxAgeMs });
    } catch (error) {
      core.logger.warn(
        { platform: adapter.platform, error: error instanceof Error ? error.message : String(error) },
        'web sign-in: the platform could not be asked',
      );
      return c.json({ error: 'the platform could not confirm the sign-in; try again' }, 502);
    }
    if (!identity) return c.json({ error: 'the platform did not confirm this sign-in' }, 401);
    const result = await signInWithPlatform(core.db, {
      platform: adapter.platform as Platform,
      peopleWorkspace: adapter.peopleWorkspace,
      identity,
      ttlMs: deps.settings.sessionTtlMs,
      now,
    });
    if (!result.ok) return c.json({ error: 'this account is not active staff' }, 403);
    const framed = (signIn.framedBy?.length ?? 0) > 0;
    const csrfToken = await setSessionCookies(c, o, result.token, result.expiresAt - now, framed);
    return c.json({
      staff: { id: result.staff.id, name: result.staff.display_name, role: result.staff.role },
      expiresAt: new Date(result.expiresAt).toISOString(),
      csrfToken,
    });
  });

  // The client's JS-SDK signature for one of the app's own pages (WeCom `ww.register`).
  app.post('/page-signature/:platform', async (c) => {
    const signPage = core.adapters.get(c.req.param('platform'))?.signIn?.signPage;
    if (!signPage) return c.json({ error: 'no page signatures for this platform' }, 404);
    const body = (await c.req.json().catch(() => null)) as { kind?: unknown; url?: unknown } | null;
    const kind = body?.kind;
    if (kind !== 'corp' && kind !== 'agent') return c.json({ error: 'kind must be corp or agent' }, 400);
    const url = ownPage(typeof body?.url === 'string' ? body.url : '', o.origin);
    if (!url) return c.json({ error: "only the app's own pages are signed" }, 400);
    try {
      return c.json(await signPage(kind, url));
    } catch (error) {
      core.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'page signature failed',
      );
      return c.json({ error: 'the platform could not give a ticket; try again' }, 502);
    }
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  // The built client first, outside the page headers above (its files are cached for good, not `no-store`).
  return new Hono().route('/assets', assetRoutes()).route('/', app);
}

/** `raw` as signed (without its `#…`), when it is one of the app's pages: same origin, under /app, no credentials. */
function ownPage(raw: string, origin: string): string | null {
  if (raw.length === 0 || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.origin !== origin || url.username || url.password) return null;
  if (url.pathname !== '/app' && !url.pathname.startsWith('/app/')) return null;
  // The client signs the address as the page has it, not re-encoded: cut the fragment off the text itself.
  const hash = raw.indexOf('#');
  return hash === -1 ? raw : raw.slice(0, hash);
}
