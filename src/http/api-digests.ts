import { Hono } from 'hono';
import { z } from 'zod';
import type { OutboxItem } from '../core/outbound.ts';
import { sendDueDigests } from '../jobs/timed-work.ts';
import { enqueue } from '../queue/outbox.ts';
import type { ApiDeps } from './api.ts';
import { requestViewer } from './api-viewer.ts';

const subscriptionBody = z.object({
  platform: z.enum(['telegram', 'wecom', 'feishu']),
  kind: z.enum(['daily', 'weekly']).default('daily'),
  /** A group chat id, or a robot: a WeCom group robot webhook URL (or key), a Feishu custom bot webhook URL. */
  target: z.object({
    kind: z.enum(['chat', 'robot']),
    ref: z.string().trim().min(1).max(500),
    secret: z.string().trim().min(1).max(200).optional(),
  }),
  teamId: z.number().int().positive().nullable().default(null),
  language: z.enum(['zh', 'en']).default('zh'),
  sendAt: z
    .string()
    .regex(/^([01]?\d|2[0-3]):[0-5]\d$/)
    .optional(),
  timeZone: z.string().trim().min(1).max(64).optional(),
  enabled: z.boolean().default(true),
});

/** Digest subscriptions (robots are configured here) and the on-demand run, for admin tokens. */
export function digestRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const v = requestViewer(c);
    if (v.kind === 'staff' && v.viewer.role !== 'admin')
      return c.json({ error: 'digest settings are for admin tokens' }, 403);
    await next();
  });

  app.get('/subscriptions', async (c) => {
    const rows = await deps.db.selectFrom('digest_subscriptions').selectAll().orderBy('id').execute();
    // Robot webhooks and secrets are credentials: never echoed.
    return c.json({
      items: rows.map((r) => ({
        id: r.id,
        platform: r.platform,
        kind: r.kind,
        target: { kind: r.target_kind, ref: r.target_kind === 'robot' ? '(hidden)' : r.target_ref },
        teamId: r.scope_team_id,
        language: r.language,
        sendAt: r.send_at,
        timeZone: r.time_zone,
        enabled: r.enabled === 1,
      })),
    });
  });

  app.post('/subscriptions', async (c) => {
    const parsed = subscriptionBody.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success)
      return c.json(
        { error: 'invalid subscription', details: z.flattenError(parsed.error).fieldErrors },
        400,
      );
    const b = parsed.data;
    if (b.timeZone && !validZone(b.timeZone))
      return c.json({ error: 'timeZone must be an IANA time zone' }, 400);
    const adapter = deps.core.adapters.get(b.platform);
    if (!adapter) return c.json({ error: `${b.platform} is not on` }, 400);
    const now = deps.core.clock.now();
    const values = {
      scope_team_id: b.teamId,
      language: b.language,
      enabled: b.enabled ? 1 : 0,
      send_at: b.sendAt ?? null,
      time_zone: b.timeZone ?? null,
      target_secret: b.target.secret ?? null,
      updated_at: now,
    };
    await deps.db
      .insertInto('digest_subscriptions')
      .values({
        ...values,
        kind: b.kind,
        platform: b.platform,
        workspace: adapter.workspace,
        target_kind: b.target.kind,
        target_ref: b.target.ref,
        subscriber_staff_id: null,
        created_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['platform', 'workspace', 'target_kind', 'target_ref', 'kind']).doUpdateSet(values),
      )
      .execute();
    const row = await deps.db
      .selectFrom('digest_subscriptions')
      .select('id')
      .where('platform', '=', b.platform)
      .where('target_kind', '=', b.target.kind)
      .where('target_ref', '=', b.target.ref)
      .where('kind', '=', b.kind)
      .executeTakeFirstOrThrow();
    return c.json({ id: row.id }, 201);
  });

  app.post('/run', async (c) => {
    const queue = async (items: OutboxItem[]) => {
      if (items.length === 0) return;
      await enqueue(deps.db, items, deps.core.clock.now());
      deps.onQueued();
    };
    return c.json({ sent: await sendDueDigests(deps.core, queue) });
  });
  return app;
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
