import { createRoute, z } from '@hono/zod-openapi';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { maskedDetail } from '../core/records/customers/duplicate-signals.ts';
import { duplicatesOf } from '../core/records/customers/duplicates.ts';
import type { ApiDeps } from './api.ts';
import { apiRouter, CustomerIdParams, errorAnswer, jsonAnswer } from './api-schemas.ts';
import { requestActor, requestViewer, viewerIn } from './api-viewer.ts';

const Duplicate = z
  .object({
    customer: z.object({ id: z.number().int(), name: z.string(), company: z.string().nullable() }),
    score: z.number().int().openapi({ description: '0–99: how sure the evidence makes it.' }),
    evidence: z.array(
      z.object({
        signal: z.enum(['phone', 'email', 'name_company', 'stated_phone']),
        detail: z.string().openapi({ description: 'The shared value; phones and emails masked.' }),
      }),
    ),
  })
  .openapi('Duplicate');

const duplicatesRoute = createRoute({
  method: 'get',
  path: '/customers/{id}/duplicates',
  tags: ['customers'],
  summary: 'Likely duplicates of a customer (open suggestions), strongest first, with their evidence',
  request: {
    params: CustomerIdParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
  },
  responses: {
    200: jsonAnswer(
      'The open suggestions whose other customer the token may see',
      z.object({ items: z.array(Duplicate) }),
    ),
    400: errorAnswer('A bad id or limit'),
    404: errorAnswer('No such customer within the token’s scope'),
  },
});

/** Duplicate suggestions, as `/dupes` gives them in chat. */
export function duplicateRoutes(deps: ApiDeps) {
  const app = apiRouter();
  app.openapi(duplicatesRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { limit } = c.req.valid('query');
    const viewer = viewerIn(requestViewer(c)) ?? null;
    if (!(await reachCustomer(deps.db, requestActor(c), id)))
      return c.json({ error: 'no such customer' }, 404);
    const dupes = await duplicatesOf(deps.core, id, viewer, limit);
    const items = dupes.map((d) => ({
      customer: { id: d.customerId, name: d.name, company: d.company },
      score: d.score,
      evidence: d.evidence.map((e) => ({ signal: e.signal, detail: maskedDetail(e) })),
    }));
    return c.json({ items }, 200);
  });
  return app;
}
