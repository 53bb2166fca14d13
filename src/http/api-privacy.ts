import { createRoute, z } from '@hono/zod-openapi';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { setDoNotContact } from '../core/records/privacy/do-not-contact.ts';
import { eraseCustomer } from '../core/records/privacy/erase.ts';
import { exportCustomer } from '../core/records/privacy/export.ts';
import type { ApiDeps } from './api.ts';
import { apiRouter, CustomerIdParams, errorAnswer, jsonAnswer, jsonBody } from './api-schemas.ts';
import { requestActor } from './api-viewer.ts';

const Records = z.array(z.record(z.string(), z.unknown()));

const CustomerExport = z
  .object({
    format: z.literal('liaison.customer-export.v1'),
    exportedAt: z.string().openapi({ format: 'date-time' }),
    customerId: z.number().int(),
    customers: Records.openapi({ description: 'The customer first, then every record merged into them.' }),
    identities: Records,
    contactRelations: Records,
    chats: Records,
    groupMemberships: Records,
    messages: Records,
    messageRevisions: Records,
    tags: Records.openapi({ description: 'With `source` (manual, rule, llm), `sourceRef` and the actor.' }),
    notes: Records,
    deals: Records,
    reminders: Records,
    stageHistory: Records,
    events: Records,
    conversations: Records.openapi({ description: 'What the model read in each conversation burst.' }),
    alerts: Records,
    transfers: Records,
    pendingRequests: Records,
    auditLog: Records,
    inbox: Records.openapi({ description: 'Raw deliveries carrying their platform ids, phone or email.' }),
    outbox: Records,
  })
  .openapi('CustomerExport');

const Erased = z
  .object({
    customers: z
      .array(z.number().int())
      .openapi({ description: 'The customer and the records merged into them.' }),
    erased: z.record(z.string(), z.number().int()).openapi({
      description: 'Rows deleted or blanked, per table.',
      example: { messages: 12, customers: 1 },
    }),
  })
  .openapi('Erasure');

const DoNotContact = z.strictObject({ doNotContact: z.boolean() }).openapi('DoNotContact');

const adminOnly = errorAnswer('The token is bound to a staff member below director');

const exportRoute = createRoute({
  method: 'get',
  path: '/customers/{id}/export',
  tags: ['privacy'],
  summary: 'Everything held about one customer, machine-readable (PIPL / GDPR access and portability)',
  request: { params: CustomerIdParams },
  responses: {
    200: jsonAnswer('The export (audited)', CustomerExport),
    400: errorAnswer('A bad id'),
    403: adminOnly,
    404: errorAnswer('No such customer'),
  },
});

const eraseRoute = createRoute({
  method: 'delete',
  path: '/customers/{id}',
  tags: ['privacy'],
  summary: 'Erases a customer, the records merged into them and every trace (PIPL / GDPR erasure)',
  description:
    'Raw deliveries keep only their dedup keys, so a platform redelivering an old update is still a duplicate. ' +
    'Safe to repeat after an interruption. Audited with ids and counts only.',
  request: { params: CustomerIdParams },
  responses: {
    200: jsonAnswer('What was erased', Erased),
    400: errorAnswer('A bad id'),
    403: adminOnly,
    404: errorAnswer('No such customer'),
  },
});

const doNotContactRoute = createRoute({
  method: 'put',
  path: '/customers/{id}/do-not-contact',
  tags: ['privacy'],
  summary: 'Records (or lifts) the customer’s wish not to be contacted',
  description:
    'A do-not-contact customer gets no automatic reply, is left off follow-up lists (digests, /stale) and ' +
    'campaigns; reminders about them say so. Audited.',
  request: { params: CustomerIdParams, body: jsonBody(DoNotContact) },
  responses: {
    200: jsonAnswer(
      'The flag as it is now',
      z.object({ id: z.number().int(), doNotContact: z.boolean(), changed: z.boolean() }),
    ),
    400: errorAnswer('A bad id or body'),
    404: errorAnswer('No such customer within the token’s scope'),
  },
});

/** Privacy: a customer's data export, erasure (admin and director tokens) and the do-not-contact flag. */
export function privacyApiRoutes(deps: ApiDeps) {
  const app = apiRouter();
  const now = () => deps.core.clock.now();

  app.openapi(exportRoute, async (c) => {
    const data = await exportCustomer(deps.db, now(), c.req.valid('param').id, requestActor(c));
    if (data === 'not_allowed') return c.json({ error: 'customer exports are for admin tokens' }, 403);
    if (!data) return c.json({ error: 'no such customer' }, 404);
    return c.json(data, 200);
  });

  app.openapi(eraseRoute, async (c) => {
    const { id } = c.req.valid('param');
    const done = await eraseCustomer(deps.db, now(), id, requestActor(c));
    if (done === 'not_allowed') return c.json({ error: 'erasing customers is for admin tokens' }, 403);
    if (!done) return c.json({ error: 'no such customer' }, 404);
    deps.core.logger.info({ customers: done.customers }, 'customer erased');
    return c.json({ customers: done.customers, erased: done.erased as Record<string, number> }, 200);
  });

  app.openapi(doNotContactRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { doNotContact } = c.req.valid('json');
    const customer = await reachCustomer(deps.db, requestActor(c), id);
    if (!customer) return c.json({ error: 'no such customer' }, 404);
    const changed = await setDoNotContact(deps.core, customer, doNotContact);
    if (changed === null) return c.json({ error: 'no such customer' }, 404);
    return c.json({ id, doNotContact, changed }, 200);
  });

  return app;
}
