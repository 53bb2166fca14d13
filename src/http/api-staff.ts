import { createRoute, z } from '@hono/zod-openapi';
import { handOverCustomers } from '../core/records/staff/handover.ts';
import { listStaffMembers } from '../core/records/staff/listing.ts';
import { listDeliveries } from '../queue/inbox.ts';
import type { ApiDeps } from './api.ts';
import { queueItems, writeKey } from './api-requests.ts';
import {
  apiRouter,
  errorAnswer,
  IdempotencyHeaders,
  isoTime,
  jsonAnswer,
  jsonBody,
  PlatformSchema,
} from './api-schemas.ts';
import { requestActor, requestViewer, viewerIn } from './api-viewer.ts';

const staffId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const Handover = z
  .object({
    from: staffId,
    to: staffId,
    resigned: z.boolean().default(false).openapi({ description: 'The staff member has left (离职继承).' }),
  })
  .openapi('Handover');

const Staff = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: z.enum(['rep', 'manager', 'director', 'admin']),
    teamId: z.number().int().nullable(),
    active: z.boolean(),
    identities: z.array(z.object({ platform: PlatformSchema, externalId: z.string() })),
  })
  .openapi('Staff');

const Delivery = z
  .object({
    id: z.number().int(),
    platform: PlatformSchema,
    dedupKey: z.string(),
    status: z.enum(['pending', 'done', 'failed']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    receivedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Delivery');

const staffRoute = createRoute({
  method: 'get',
  path: '/staff',
  tags: ['staff'],
  summary: 'Staff the token manages, with roles and platform identities',
  responses: { 200: jsonAnswer('The staff', z.object({ items: z.array(Staff) })) },
});

const handoverRoute = createRoute({
  method: 'post',
  path: '/handover',
  tags: ['staff'],
  summary: 'Hand every customer of one staff member to another, in Liaison and on WeCom',
  request: { headers: IdempotencyHeaders, body: jsonBody(Handover) },
  responses: {
    200: jsonAnswer(
      'What moved',
      z.object({ reassigned: z.number().int(), platformTransfers: z.record(z.string(), z.number().int()) }),
    ),
    400: errorAnswer('A bad body'),
    403: errorAnswer('A rep’s token'),
    404: errorAnswer('No such staff member within the token’s scope'),
  },
});

const inboxRoute = createRoute({
  method: 'get',
  path: '/inbox',
  tags: ['operations'],
  summary: 'Webhook deliveries in a state, without payloads (admin tokens)',
  request: {
    query: z.object({
      status: z.enum(['pending', 'done', 'failed']).default('failed'),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: jsonAnswer('The deliveries, newest first', z.object({ items: z.array(Delivery) })),
    400: errorAnswer('A bad query'),
    403: errorAnswer('Not an admin token'),
  },
});

/** Staff, handover between them, and the delivery log. */
export function staffRoutes(deps: ApiDeps) {
  const app = apiRouter();

  app.openapi(staffRoute, async (c) => {
    const staff = await listStaffMembers(deps.db, viewerIn(requestViewer(c)) ?? null);
    return c.json(
      {
        items: staff.map((s) => ({
          id: s.id,
          name: s.name,
          role: s.role,
          teamId: s.teamId,
          active: s.active,
          identities: s.identities,
        })),
      },
      200,
    );
  });

  app.openapi(handoverRoute, async (c) => {
    const { from, to, resigned } = c.req.valid('json');
    const outcome = await handOverCustomers(
      deps.core,
      { fromStaffId: from, toStaffId: to, resigned, actor: requestActor(c) },
      writeKey('handover', c.req.valid('header')['Idempotency-Key']),
    );
    if ('refused' in outcome) {
      if (outcome.refused === 'same')
        return c.json({ error: 'from and to are the same staff member', field: 'to' }, 400);
      if (outcome.refused === 'not_allowed')
        return c.json({ error: 'handovers are for managers and above' }, 403);
      return c.json({ error: 'no such staff member' }, 404);
    }
    await queueItems(deps, outcome.actions);
    return c.json({ reassigned: outcome.reassigned, platformTransfers: outcome.platformTransfers }, 200);
  });

  app.openapi(inboxRoute, async (c) => {
    const v = requestViewer(c);
    if (v.kind === 'staff' && v.viewer.role !== 'admin')
      return c.json({ error: 'deliveries are for admin tokens' }, 403);
    const { status, limit } = c.req.valid('query');
    const items = await listDeliveries(deps.db, status, limit);
    return c.json({ items: items.map((i) => ({ ...i, receivedAt: isoTime(i.receivedAt) })) }, 200);
  });

  return app;
}
