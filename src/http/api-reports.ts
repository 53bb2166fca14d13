import { Hono } from 'hono';
import { z } from 'zod';
import { digestFacts } from '../core/digests/facts.ts';
import type { DigestScope } from '../core/digests/scope.ts';
import type { ApiDeps } from './api.ts';
import { requestViewer } from './api-viewer.ts';

const DAY = 86_400_000;
const MAX_SPAN = 366 * DAY;

const period = z.object({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});

/** Reports for integrators, over `from`..`to` (ISO; default the last 7 days), within the token's scope. */
export function reportRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const facts = async (q: Record<string, string>, scope: DigestScope) => {
    const parsed = period.safeParse(q);
    if (!parsed.success) return { error: 'from and to must be ISO dates or times' } as const;
    const to = parsed.data.to ? Date.parse(parsed.data.to) : deps.core.clock.now();
    const from = parsed.data.from ? Date.parse(parsed.data.from) : to - 7 * DAY;
    if (!(from < to) || to - from > MAX_SPAN)
      return { error: 'from must be before to, at most a year apart' } as const;
    return { facts: await digestFacts(deps.core, scope, from, to) } as const;
  };
  const scopeOf = (c: Parameters<typeof requestViewer>[0]): DigestScope => {
    const v = requestViewer(c);
    if (v.kind === 'admin' || v.viewer.role === 'admin' || v.viewer.role === 'director')
      return { teamId: null };
    if (v.viewer.role === 'manager' && v.viewer.teamId !== null) return { teamId: v.viewer.teamId };
    return { teamId: null, ownerId: v.viewer.staffId };
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  app.get('/funnel', async (c) => {
    const r = await facts(c.req.query(), scopeOf(c));
    if ('error' in r) return c.json({ error: r.error }, 400);
    return c.json({
      from: iso(r.facts.from),
      to: iso(r.facts.to),
      stages: r.facts.funnel.map((s) => ({
        stage: s.stage,
        customers: s.count,
        change: s.change,
        openDeals: s.openDealsMinor / 100,
      })),
      newCustomers: r.facts.newCustomers,
    });
  });

  app.get('/activity', async (c) => {
    const r = await facts(c.req.query(), scopeOf(c));
    if ('error' in r) return c.json({ error: r.error }, 400);
    return c.json({
      from: iso(r.facts.from),
      to: iso(r.facts.to),
      messages: r.facts.messages,
      waiting: { count: r.facts.waiting.count, overSla: r.facts.waiting.overSla },
      reps: r.facts.reps.map((p) => ({
        name: p.name,
        replies: p.replies,
        notes: p.notes,
        medianFirstResponseSeconds:
          p.medianFirstResponseMs === null ? null : Math.round(p.medianFirstResponseMs / 1000),
      })),
    });
  });
  return app;
}
