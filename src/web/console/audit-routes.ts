import { Hono } from 'hono';
import { consoleAudit } from '../../core/kernel/i18n/console-audit.ts';
import { languageOf } from '../../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { type AuditLogFilters, auditLogPage } from '../../core/reading/audit/audit-log-page.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

/** Entries per page unless the page asks for fewer (or more, up to the cap). */
const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/**
 * The audit log screen's JSON (`GET /app/api/console/audit?actor=&action=&customer=&from=&to=&after=&limit=`):
 * entries the signed-in member may read (auditLogPage decides), newest first, a keyset page at a time.
 */
export function auditScreenRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const session = requestSession(c);
    const words = consoleAudit[languageOf(session.staff.language)];
    const q = c.req.query();
    const given = (v: string | undefined) => (v?.trim() ? v.trim().slice(0, 100) : undefined);
    const positive = (v: string | undefined) =>
      v === undefined ? undefined : /^\d{1,15}$/.test(v) ? Number(v) : 0;
    const limit = q.limit === undefined ? PAGE_SIZE : Number(q.limit);
    const actor = positive(given(q.actor));
    const customer = positive(given(q.customer)?.replace(/^#/, ''));
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE || actor === 0 || customer === 0)
      return c.json({ error: words.refusals.bad_request }, 400);
    const filters: AuditLogFilters = { limit };
    if (actor !== undefined) filters.actorStaffId = actor;
    if (customer !== undefined) filters.customerId = customer;
    const action = given(q.action);
    if (action !== undefined) filters.action = action;
    const from = given(q.from);
    if (from !== undefined) filters.from = from;
    const to = given(q.to);
    if (to !== undefined) filters.to = to;
    const after = given(q.after);
    if (after !== undefined) filters.after = after;
    const outcome = await auditLogPage(core, webActor(session), filters);
    if (outcome.kind === 'not_allowed') return c.json({ error: words.refusals.not_allowed }, 403);
    if (outcome.kind !== 'page') return c.json({ error: words.refusals[outcome.kind] }, 400);
    return c.json({
      items: outcome.items.map((i) => ({ ...i, at: new Date(i.at).toISOString() })),
      nextCursor: outcome.nextCursor,
    });
  });

  return app;
}
