import { type Context, Hono } from 'hono';
import { type Lang, languageOf, messages } from '../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { closeDateOf } from '../core/kernel/time/calendar-day.ts';
import { customerPage } from '../core/reading/segments/customer-page.ts';
import { segmentsFor, segmentTitle } from '../core/reading/segments/segments.ts';
import { stageName } from '../core/records/customers/stages.ts';
import { listDeals } from '../core/records/deals/list.ts';
import { dealPipeline } from '../core/records/deals/pipeline.ts';
import { updateDeal } from '../core/records/deals/update.ts';
import { listStaffMembers } from '../core/records/staff/listing.ts';
import type { WebSession } from '../core/records/staff/web-sessions.ts';
import { assetsBindingOf, webManifest } from './asset-routes.ts';
import { screenRoutes } from './console/screen-routes.ts';
import { consolePage, signedOutPage, staffOnlyPage } from './pages.ts';
import { requestSession, type WebEnv, webActor } from './session.ts';

/** Rows per page of the customer list, unless the page asks for fewer (or more, up to the cap). */
const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
/** Open deals on the board: pages of the deals API's size, up to this many (the rest counted in the forecast). */
const BOARD_DEALS = 500;

const mayUseConsole = (s: WebSession) => s.staff.role !== 'rep';
const langOf = (s: WebSession): Lang => languageOf(s.staff.language);

/**
 * The console's JSON (src/web/client/console), for managers and above: the customer list (filters, a saved segment,
 * keyset pages), the pipeline board (open deals, the weighted forecast) and a deal's move. Mounted under the session
 * check (and CSRF on writes); each route parses, calls one core function with the session's actor, and renders.
 */
export function consoleRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Context<WebEnv>) => webActor(requestSession(c));

  app.use('*', async (c, next) => {
    const session = requestSession(c);
    if (!mayUseConsole(session))
      return c.json({ error: messages(langOf(session)).webApp.console.managersOnly }, 403);
    await next();
  });

  // Each screen's own JSON routes, one file each under src/web/console/.
  for (const [path, routes] of Object.entries(screenRoutes)) app.route(path, routes(core));

  app.get('/filters', async (c) => {
    const session = requestSession(c);
    const lang = langOf(session);
    const actor = actorOf(c);
    const [segments, staff] = await Promise.all([
      segmentsFor(core.db, actor.viewer),
      listStaffMembers(core.db, actor.viewer, { activeOnly: true }),
    ]);
    return c.json({
      stages: core.org.stages.map((s) => ({ key: s.key, name: stageName(core.org.stages, s.key, lang) })),
      segments: segments.map((s) => ({ id: s.id, name: segmentTitle(s, lang) })),
      owners: staff.map((s) => ({ id: s.id, name: s.name })),
    });
  });

  app.get('/customers', async (c) => {
    const q = c.req.query();
    const limit = q.limit === undefined ? PAGE_SIZE : Number(q.limit);
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
      return c.json({ error: `limit is 1 to ${MAX_PAGE_SIZE}`, field: 'limit' }, 400);
    const owner =
      q.owner === undefined || q.owner === '' ? undefined : q.owner === 'none' ? 'none' : Number(q.owner);
    if (typeof owner === 'number' && !(Number.isSafeInteger(owner) && owner > 0))
      return c.json({ error: 'owner is a staff id or none', field: 'owner' }, 400);
    const given = (v: string | undefined) => (v?.trim() ? v.trim().slice(0, 200) : undefined);
    const outcome = await customerPage(core, actorOf(c), {
      limit,
      ...(owner === undefined ? {} : { owner }),
      ...optional({
        q: given(q.q),
        stage: given(q.stage),
        tag: given(q.tag),
        source: given(q.source),
        segment: given(q.segment),
        after: given(q.after),
      }),
    });
    if (outcome.kind !== 'page') {
      if (outcome.kind === 'bad_cursor')
        return c.json({ error: 'not a cursor of this list', field: 'after' }, 400);
      return outcome.kind === 'unknown_segment'
        ? c.json({ error: 'no such segment', field: 'segment' }, 404)
        : c.json({ error: "the segment's stored filter is no longer valid", field: 'segment' }, 422);
    }
    const lang = langOf(requestSession(c));
    return c.json({
      items: outcome.items.map((i) => ({
        ...i,
        stageName: stageName(core.org.stages, i.stage, lang),
        lastContactAt: i.lastContactAt === null ? null : new Date(i.lastContactAt).toISOString(),
      })),
      nextCursor: outcome.nextCursor,
    });
  });

  app.get('/pipeline', async (c) => {
    const actor = actorOf(c);
    const lang = langOf(requestSession(c));
    const deals = [];
    let after: number | undefined;
    do {
      const page = await listDeals(core, actor, {
        status: 'open',
        limit: 100,
        ...(after === undefined ? {} : { after }),
      });
      deals.push(...page.items);
      after = page.nextCursor ?? undefined;
    } while (after !== undefined && deals.length < BOARD_DEALS);
    const forecast = await dealPipeline(core, actor);
    return c.json({
      stages: core.org.dealStages.map((s) => ({
        key: s.key,
        name: stageName(core.org.dealStages, s.key, lang),
        probability: s.probability,
      })),
      deals: deals.map((d) => ({
        id: d.id,
        title: d.title,
        customerId: d.customerId,
        customerName: d.customerName,
        amountMinor: d.amountMinor,
        currency: d.currency,
        stage: d.stage,
        owner: d.owner,
        // The day in the organisation's time zone, as the chat and the API say it (YYYY-MM-DD).
        closeDate: d.expectedCloseAt === null ? null : closeDateOf(d.expectedCloseAt, core.org.timeZone),
      })),
      more: after !== undefined,
      forecast,
    });
  });

  app.patch('/deals/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const body = ((await c.req.json().catch(() => null)) ?? {}) as { stage?: unknown };
    if (!Number.isSafeInteger(id) || id < 1) return c.json({ error: 'no such deal' }, 404);
    if (typeof body.stage !== 'string')
      return c.json({ error: 'say the stage to move to', field: 'stage' }, 400);
    const outcome = await updateDeal(
      core,
      actorOf(c),
      id,
      { stage: body.stage },
      `web:deal-move:${crypto.randomUUID()}`,
    );
    if (outcome.kind === 'not_found') return c.json({ error: 'no such deal' }, 404);
    if (outcome.kind !== 'updated') return c.json({ error: outcome.kind, field: 'stage' }, 400);
    return c.json({ id: outcome.deal.id, stage: outcome.deal.stage, changed: outcome.changed });
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

/**
 * The console's pages (`/app/console`, `/app/console/pipeline`): the built console client's shell for managers and
 * above; a rep is told the console is not for them (403), someone signed out how to sign in (401).
 */
export function consolePageRoutes(
  sessionOf: (c: Context) => Promise<WebSession | null>,
  headerLang: (c: Context) => Lang,
): Hono {
  const app = new Hono();
  const shell = async (c: Context) => {
    const session = await sessionOf(c);
    if (!session) return c.html(signedOutPage(headerLang(c)), 401);
    const lang = langOf(session);
    if (!mayUseConsole(session)) return c.html(staffOnlyPage(lang), 403);
    const built = await webManifest(assetsBindingOf(c.env), c.req.url);
    const js = built?.['console.js'];
    if (!js) return c.text('the console client is not built (scripts/build-web.ts)', 503);
    return c.html(consolePage(lang, { js, css: built['console.css'] }));
  };
  // Every screen's address serves the same shell; the client picks the screen (client/console/screens.tsx).
  app.get('/', shell);
  app.get('/:screen{[a-z-]+}', shell);
  return app;
}

/** The entries whose value is given. */
function optional<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: string;
  };
}
