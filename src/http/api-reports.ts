import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { digestFacts } from '../core/reading/digests/facts.ts';
import type { DigestScope } from '../core/reading/digests/scope.ts';
import type { ApiDeps } from './api.ts';
import { apiRouter, errorAnswer, isoTime, jsonAnswer } from './api-schemas.ts';
import { requestViewer } from './api-viewer.ts';

const DAY = 86_400_000;
const MAX_SPAN = 366 * DAY;

const instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .optional()
  .openapi({ description: 'An ISO date or time.', example: '2026-03-01' });
const Period = z.object({ from: instant, to: instant });

const period = { query: Period };

const funnelRoute = createRoute({
  method: 'get',
  path: '/funnel',
  tags: ['reports'],
  summary: 'Customers per stage with the period’s movement and open deal value; new customers',
  request: period,
  responses: {
    200: jsonAnswer(
      'The funnel',
      z.object({
        from: z.string(),
        to: z.string(),
        stages: z.array(
          z.object({ stage: z.string(), customers: z.number(), change: z.number(), openDeals: z.number() }),
        ),
        newCustomers: z.object({
          total: z.number(),
          bySource: z.array(z.object({ source: z.string(), count: z.number() })),
        }),
      }),
    ),
    400: errorAnswer('A bad period'),
  },
});

const activityRoute = createRoute({
  method: 'get',
  path: '/activity',
  tags: ['reports'],
  summary: 'Messages, waiting customers, and each rep’s replies, notes and median first response',
  request: period,
  responses: {
    200: jsonAnswer(
      'The activity',
      z.object({
        from: z.string(),
        to: z.string(),
        messages: z.object({ inbound: z.number(), outbound: z.number() }),
        waiting: z.object({ count: z.number(), overSla: z.number() }),
        reps: z.array(
          z.object({
            name: z.string(),
            replies: z.number(),
            notes: z.number(),
            medianFirstResponseSeconds: z.number().nullable(),
          }),
        ),
      }),
    ),
    400: errorAnswer('A bad period'),
  },
});

/** Reports for integrators, over `from`..`to` (ISO; default the last 7 days), within the token's scope. */
export function reportRoutes(deps: ApiDeps) {
  const app = apiRouter();
  const facts = async (q: z.infer<typeof Period>, scope: DigestScope) => {
    const to = q.to ? Date.parse(q.to) : deps.core.clock.now();
    const from = q.from ? Date.parse(q.from) : to - 7 * DAY;
    if (!(from < to) || to - from > MAX_SPAN)
      return { ok: false, error: 'from must be before to, at most a year apart' } as const;
    return { ok: true, facts: await digestFacts(deps.core, scope, from, to) } as const;
  };
  const scopeOf = (c: Context): DigestScope => {
    const v = requestViewer(c);
    if (v.kind === 'admin' || v.viewer.role === 'admin' || v.viewer.role === 'director')
      return { teamId: null };
    if (v.viewer.role === 'manager' && v.viewer.teamId !== null) return { teamId: v.viewer.teamId };
    return { teamId: null, ownerId: v.viewer.staffId };
  };

  app.openapi(funnelRoute, async (c) => {
    const r = await facts(c.req.valid('query'), scopeOf(c));
    if (!r.ok) return c.json({ error: r.error, field: 'from' }, 400);
    return c.json(
      {
        from: isoTime(r.facts.from),
        to: isoTime(r.facts.to),
        stages: r.facts.funnel.map((s) => ({
          stage: s.stage,
          customers: s.count,
          change: s.change,
          openDeals: s.openDealsMinor / 100,
        })),
        newCustomers: r.facts.newCustomers,
      },
      200,
    );
  });

  app.openapi(activityRoute, async (c) => {
    const r = await facts(c.req.valid('query'), scopeOf(c));
    if (!r.ok) return c.json({ error: r.error, field: 'from' }, 400);
    return c.json(
      {
        from: isoTime(r.facts.from),
        to: isoTime(r.facts.to),
        messages: r.facts.messages,
        waiting: { count: r.facts.waiting.count, overSla: r.facts.waiting.overSla },
        reps: r.facts.reps.map((p) => ({
          name: p.name,
          replies: p.replies,
          notes: p.notes,
          medianFirstResponseSeconds:
            p.medianFirstResponseMs === null ? null : Math.round(p.medianFirstResponseMs / 1000),
        })),
      },
      200,
    );
  });
  return app;
}
