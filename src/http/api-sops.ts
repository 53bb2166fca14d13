import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  createSop,
  getSop,
  listSops,
  type SopActor,
  type SopWithCounts,
  setSopActive,
} from '../core/marketing/sops/sops.ts';
import { stepOffsetMs } from '../core/marketing/sops/steps.ts';
import type { ApiDeps } from './api.ts';
import { apiRouter, errorAnswer, idSchema, isoTime, jsonAnswer, jsonBody } from './api-schemas.ts';
import { requestViewer, viewerIn } from './api-viewer.ts';

const Step = z
  .strictObject({
    after: z
      .strictObject({
        days: z.number().int().min(0).max(365).optional(),
        hours: z
          .number()
          .int()
          .min(0)
          .max(24 * 365)
          .optional(),
      })
      .openapi({
        description: 'When, after the customer was enrolled: `{}` is at once.',
        example: { days: 3 },
      }),
    action: z
      .enum(['message', 'remind'])
      .openapi({ description: '`message` the customer (the campaigns’ rules), or `remind` their owner.' }),
    text: z.string().trim().min(1).max(1000),
    onlyIfNoReply: z
      .boolean()
      .optional()
      .openapi({ description: 'Documentation only: every step waits for no reply (a reply stops the SOP).' }),
  })
  .openapi('SopStep');

const NewSop = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    trigger: z.strictObject({
      kind: z.enum(['tag', 'stage', 'source']),
      value: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .openapi({ description: 'A tag name, a stage key, or a channel code.', example: '高意向' }),
    }),
    steps: z.array(Step).min(1).max(20),
  })
  .superRefine((sop, ctx) => {
    sop.steps.forEach((step, i) => {
      const before = sop.steps[i - 1];
      if (before && stepOffsetMs(step) < stepOffsetMs(before))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'after'], message: 'steps must be in time order' });
    });
  })
  .openapi('NewSop');

const SopShown = z
  .object({
    id: z.number().int(),
    name: z.string(),
    trigger: z.object({ kind: z.string(), value: z.string() }),
    steps: z.array(Step),
    active: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
    enrollments: z.object({
      total: z.number().int(),
      active: z.number().int(),
      stopped: z.number().int(),
      done: z.number().int(),
      stoppedBy: z
        .record(z.string(), z.number().int())
        .openapi({ description: 'replied, stage_changed, do_not_contact, merged' }),
    }),
  })
  .openapi('Sop');

const SopParams = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });
const SopPatch = z.strictObject({ active: z.boolean() }).openapi('SopPatch');

const notManager = errorAnswer('A rep token: SOPs are set up by managers and above');
const unknown = errorAnswer('No such SOP');

const createRouteDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['sops'],
  summary: 'Create a follow-up sequence, started by a tag, a stage or a source from now on',
  request: { body: jsonBody(NewSop) },
  responses: {
    201: jsonAnswer('The SOP', SopShown),
    400: errorAnswer('A bad body, naming the field'),
    403: notManager,
    409: errorAnswer('An SOP has this name'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['sops'],
  summary: 'Every SOP with its enrollments by status',
  responses: { 200: jsonAnswer('The SOPs', z.object({ items: z.array(SopShown) })), 403: notManager },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['sops'],
  summary: 'One SOP with its enrollments by status',
  request: { params: SopParams },
  responses: { 200: jsonAnswer('The SOP', SopShown), 403: notManager, 404: unknown },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['sops'],
  summary: 'Pause or resume an SOP (paused: nobody is enrolled and no step runs)',
  request: { params: SopParams, body: jsonBody(SopPatch) },
  responses: {
    200: jsonAnswer('The SOP', SopShown),
    400: errorAnswer('A bad body, naming the field'),
    403: notManager,
    404: unknown,
  },
});

/** Follow-up sequences (SOPs), for manager, director and admin tokens. */
export function sopRoutes(deps: ApiDeps) {
  const app = apiRouter();
  app.use('*', async (c, next) => {
    if (viewerIn(requestViewer(c))?.role === 'rep')
      return c.json({ error: 'SOPs are for managers and above' }, 403);
    await next();
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid('json');
    const stages = deps.core.org.stages.map((s) => s.key);
    if (body.trigger.kind === 'stage' && !stages.includes(body.trigger.value))
      return c.json({ error: `a stage is one of ${stages.join(', ')}`, field: 'trigger.value' }, 400);
    const created = await createSop(deps.core, body, actorOf(c), viewerIn(requestViewer(c)) ?? null);
    if (created.kind === 'duplicate') return c.json({ error: 'an SOP has this name', field: 'name' }, 409);
    const none = { total: 0, active: 0, stopped: 0, done: 0, stoppedBy: {} };
    return c.json(sopShown({ ...created.sop, enrollments: none }), 201);
  });

  app.openapi(listRoute, async (c) =>
    c.json({ items: (await listSops(deps.core, viewerIn(requestViewer(c)) ?? null)).map(sopShown) }, 200),
  );

  app.openapi(getRoute, async (c) => {
    const sop = await getSop(deps.core, c.req.valid('param').id, viewerIn(requestViewer(c)) ?? null);
    return sop ? c.json(sopShown(sop), 200) : c.json({ error: 'no such SOP' }, 404);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const sop = await setSopActive(
      deps.core,
      id,
      c.req.valid('json').active,
      actorOf(c),
      viewerIn(requestViewer(c)) ?? null,
    );
    return sop ? c.json(sopShown(sop), 200) : c.json({ error: 'no such SOP' }, 404);
  });
  return app;
}

function actorOf(c: Context): SopActor {
  return { actorKind: 'api', actorStaffId: viewerIn(requestViewer(c))?.staffId ?? null };
}

function sopShown(s: SopWithCounts) {
  return {
    id: s.id,
    name: s.name,
    trigger: s.trigger,
    steps: s.steps,
    active: s.active,
    createdAt: isoTime(s.createdAt),
    updatedAt: isoTime(s.updatedAt),
    enrollments: s.enrollments,
  };
}
