import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { auditedAs } from '../../core/kernel/permissions/actor.ts';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { createSop, listSops, type SopWithCounts, setSopActive } from '../../core/marketing/sops/sops.ts';
import { stepOffsetMs } from '../../core/marketing/sops/steps.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

const Step = z.strictObject({
  after: z.strictObject({
    days: z.number().int().min(0).max(365).optional(),
    hours: z
      .number()
      .int()
      .min(0)
      .max(24 * 365)
      .optional(),
  }),
  action: z.enum(['message', 'remind']),
  text: z.string().trim().min(1).max(1000),
});

const NewSop = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    trigger: z.strictObject({
      kind: z.enum(['tag', 'stage', 'source']),
      value: z.string().trim().min(1).max(64),
    }),
    steps: z.array(Step).min(1).max(20),
  })
  .superRefine((sop, ctx) => {
    sop.steps.forEach((step, i) => {
      const before = sop.steps[i - 1];
      if (before && stepOffsetMs(step) < stepOffsetMs(before))
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'after'], message: 'steps must be in time order' });
    });
  });

const Patch = z.strictObject({ active: z.boolean() });

/**
 * The SOP screen (client/console/sops.tsx): the SOPs in the actor's reach with their enrolled counts, creating one
 * with its steps, and switching one on or off. The same core functions as the API's /sops.
 */
export function sopRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const actorOf = (c: Context<WebEnv>) => webActor(requestSession(c));

  app.get('/', async (c) => {
    const actor = actorOf(c);
    const items = await listSops(core, actor.viewer);
    return c.json({
      items: items.map(shown),
      stages: core.org.stages.map((s) => s.key),
    });
  });

  app.post('/', async (c) => {
    const parsed = NewSop.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      return c.json({ error: `${field || 'body'}: ${issue?.message ?? 'a JSON body'}`, field }, 400);
    }
    const body = parsed.data;
    const stages = core.org.stages.map((s) => s.key);
    if (body.trigger.kind === 'stage' && !stages.includes(body.trigger.value))
      return c.json({ error: `a stage is one of ${stages.join(', ')}`, field: 'trigger.value' }, 400);
    const actor = actorOf(c);
    const created = await createSop(core, body, auditedAs(actor), actor.viewer);
    if (created.kind === 'duplicate') return c.json({ error: 'an SOP has this name', field: 'name' }, 409);
    return c.json(
      shown({ ...created.sop, enrollments: { total: 0, active: 0, stopped: 0, done: 0, stoppedBy: {} } }),
      201,
    );
  });

  app.patch('/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const parsed = Patch.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'say active: true or false', field: 'active' }, 400);
    if (!Number.isSafeInteger(id) || id < 1) return c.json({ error: 'no such SOP' }, 404);
    const actor = actorOf(c);
    const sop = await setSopActive(core, id, parsed.data.active, auditedAs(actor), actor.viewer);
    return sop ? c.json(shown(sop)) : c.json({ error: 'no such SOP' }, 404);
  });

  return app;
}

/** An SOP as the screen shows it. */
function shown(s: SopWithCounts) {
  return {
    id: s.id,
    name: s.name,
    trigger: s.trigger,
    steps: s.steps,
    active: s.active,
    createdAt: new Date(s.createdAt).toISOString(),
    enrollments: s.enrollments,
  };
}
