import { Hono } from 'hono';
import { languageOf, messages } from '../../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { DASHBOARD_DAYS, dashboardFacts } from '../../core/reading/digests/dashboard.ts';
import { stageName } from '../../core/records/customers/stages.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

/** The period when the page names none: the last week, as `/report` reads by default. */
const DEFAULT_DAYS = 7;

/**
 * The dashboard's JSON (`GET /app/api/console/dashboard?days=7|30`): the digest's facts over the period for the
 * signed-in staff member's scope, with stage names in their language and times as ISO strings.
 */
export function dashboardRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();

  app.get('/', async (c) => {
    const session = requestSession(c);
    const lang = languageOf(session.staff.language);
    const given = c.req.query('days');
    const days =
      given === undefined || given === '' ? DEFAULT_DAYS : /^\d{1,4}$/.test(given) ? Number(given) : NaN;
    const outcome = await dashboardFacts(core, webActor(session), { days });
    if (outcome.kind === 'refused') return c.json({ error: messages(lang).webApp.console.managersOnly }, 403);
    if (outcome.kind === 'bad_period')
      return c.json({ error: `days is ${DASHBOARD_DAYS.min} to ${DASHBOARD_DAYS.max}`, field: 'days' }, 400);
    const f = outcome.facts;
    return c.json({
      days,
      from: new Date(f.from).toISOString(),
      to: new Date(f.to).toISOString(),
      scope: outcome.scope.ownerId !== undefined ? 'own' : outcome.scope.teamId === null ? 'org' : 'team',
      replySlaMs: outcome.replySlaMs,
      funnel: f.funnel.map((s) => ({ ...s, name: stageName(core.org.stages, s.stage, lang) })),
      newCustomers: f.newCustomers,
      messages: f.messages,
      waiting: f.waiting,
      reps: f.reps,
      trend: f.trend,
    });
  });

  return app;
}
