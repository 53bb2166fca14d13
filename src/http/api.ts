import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { getCustomerDetail } from '../core/customers/detail.ts';
import { searchCustomers } from '../core/customers/search.ts';
import { secretMatcher } from '../lib/safe-equal.ts';
import { listDeliveries } from '../queue/inbox.ts';

export interface ApiDeps {
  db: Kysely<Database>;
  /** No token configured: the API does not exist (404), rather than being open. */
  apiToken: string | null;
}

const customerQuery = z.object({
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  stage: z.string().trim().min(1).max(50).optional(),
  owner: z.union([z.literal('none'), z.coerce.number().int().positive()]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const inboxQuery = z.object({
  status: z.enum(['pending', 'done', 'failed']).default('failed'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The integration API, behind `Authorization: Bearer $API_TOKEN`. Times are ISO 8601 strings. */
export function apiRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const tokenMatches = deps.apiToken ? secretMatcher(deps.apiToken) : null;
  app.use('*', async (c, next) => {
    if (!tokenMatches) return c.json({ error: 'not found' }, 404);
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
    if (!tokenMatches(token)) {
      return c.json({ error: 'unauthorized' }, 401, { 'www-authenticate': 'Bearer' });
    }
    await next();
  });

  app.get('/customers', async (c) => {
    const parsed = customerQuery.safeParse(c.req.query());
    if (!parsed.success)
      return c.json({ error: 'invalid query', details: z.flattenError(parsed.error).fieldErrors }, 400);
    const items = await searchCustomers(deps.db, parsed.data);
    return c.json({
      items: items.map((i) => ({
        ...i,
        firstContactAt: iso(i.firstContactAt),
        lastContactAt: iso(i.lastContactAt),
      })),
    });
  });

  app.get('/customers/:id', async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'customer id must be a positive integer' }, 400);
    const detail = await getCustomerDetail(deps.db, id.data);
    if (!detail) return c.json({ error: 'no such customer' }, 404);
    return c.json({
      ...detail,
      firstContactAt: iso(detail.firstContactAt),
      lastContactAt: iso(detail.lastContactAt),
      tags: detail.tags.map((t) => ({ ...t, at: iso(t.at) })),
      timeline: detail.timeline.map((t) => ({
        ...t,
        at: iso(t.at),
        editedAt: iso(t.editedAt),
        deletedAt: iso(t.deletedAt),
      })),
    });
  });

  app.get('/inbox', async (c) => {
    const parsed = inboxQuery.safeParse(c.req.query());
    if (!parsed.success)
      return c.json({ error: 'invalid query', details: z.flattenError(parsed.error).fieldErrors }, 400);
    const items = await listDeliveries(deps.db, parsed.data.status, parsed.data.limit);
    return c.json({ items: items.map((i) => ({ ...i, receivedAt: iso(i.receivedAt) })) });
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
