import { createRoute, z } from '@hono/zod-openapi';
import { audit } from '../core/audit.ts';
import { sendDueDigests } from '../jobs/timed-work.ts';
import type { ApiDeps } from './api.ts';
import { queueItems } from './api-requests.ts';
import { apiRouter, errorAnswer, jsonAnswer, jsonBody, PlatformSchema } from './api-schemas.ts';
import { requestViewer } from './api-viewer.ts';

const Subscription = z
  .object({
    platform: z.enum(['telegram', 'wecom', 'feishu']),
    kind: z.enum(['daily', 'weekly']).default('daily'),
    /** A group chat id, or a robot: a WeCom group robot webhook URL (or key), a Feishu custom bot webhook URL. */
    target: z.object({
      kind: z.enum(['chat', 'robot']),
      ref: z
        .string()
        .trim()
        .min(1)
        .max(500)
        .openapi({ description: 'A group chat id, or a robot webhook URL (WeCom: or its key).' }),
      secret: z.string().trim().min(1).max(200).optional(),
    }),
    teamId: z.number().int().positive().nullable().default(null),
    language: z.enum(['zh', 'en']).default('zh'),
    sendAt: z
      .string()
      .regex(/^([01]?\d|2[0-3]):[0-5]\d$/)
      .optional()
      .openapi({ example: '09:00' }),
    timeZone: z.string().trim().min(1).max(64).optional().openapi({ example: 'Asia/Shanghai' }),
    enabled: z.boolean().default(true),
  })
  .openapi('DigestSubscriptionInput');

const SubscriptionShown = z
  .object({
    id: z.number().int(),
    platform: PlatformSchema,
    kind: z.string(),
    target: z.object({
      kind: z.string(),
      ref: z.string().openapi({ description: 'Robots show `(hidden)`.' }),
    }),
    teamId: z.number().int().nullable(),
    language: z.string(),
    sendAt: z.string().nullable(),
    timeZone: z.string().nullable(),
    enabled: z.boolean(),
  })
  .openapi('DigestSubscription');

const notAdmin = errorAnswer('Not an admin token');

const listRoute = createRoute({
  method: 'get',
  path: '/subscriptions',
  tags: ['digests'],
  summary: 'Digest subscriptions (robot webhooks and secrets are never shown back)',
  responses: {
    200: jsonAnswer('The subscriptions', z.object({ items: z.array(SubscriptionShown) })),
    403: notAdmin,
  },
});

const upsertRoute = createRoute({
  method: 'post',
  path: '/subscriptions',
  tags: ['digests'],
  summary: 'Subscribe a chat or a robot to a digest (the same target and kind again updates it)',
  request: { body: jsonBody(Subscription) },
  responses: {
    201: jsonAnswer('The subscription', z.object({ id: z.number().int() })),
    400: errorAnswer('A bad subscription'),
    403: notAdmin,
  },
});

const runRoute = createRoute({
  method: 'post',
  path: '/run',
  tags: ['digests'],
  summary: 'Send every digest due now, once each',
  responses: { 200: jsonAnswer('How many went out', z.object({ sent: z.number().int() })), 403: notAdmin },
});

/** Digest subscriptions (robots are configured here) and the on-demand run, for admin tokens. */
export function digestRoutes(deps: ApiDeps) {
  const app = apiRouter();
  app.use('*', async (c, next) => {
    const v = requestViewer(c);
    if (v.kind === 'staff' && v.viewer.role !== 'admin')
      return c.json({ error: 'digest settings are for admin tokens' }, 403);
    await next();
  });

  app.openapi(listRoute, async (c) => {
    const rows = await deps.db.selectFrom('digest_subscriptions').selectAll().orderBy('id').execute();
    // Robot webhooks and secrets are credentials: never echoed.
    return c.json(
      {
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
      },
      200,
    );
  });

  app.openapi(upsertRoute, async (c) => {
    const b = c.req.valid('json');
    if (b.timeZone && !validZone(b.timeZone))
      return c.json({ error: 'timeZone must be an IANA time zone', field: 'timeZone' }, 400);
    const adapter = deps.core.adapters.get(b.platform);
    if (!adapter) return c.json({ error: `${b.platform} is not on`, field: 'platform' }, 400);
    if (b.target.kind === 'robot') {
      // A robot URL is fetched by the server: only the platform's own hosts, never a private address.
      const refused = adapter.checkRobot
        ? await adapter.checkRobot(b.target.ref)
        : `${b.platform} has no robots`;
      if (refused) return c.json({ error: `target.ref: ${refused}`, field: 'target.ref' }, 400);
    }
    const now = deps.core.clock.now();
    const v = requestViewer(c);
    const values = {
      subscriber_staff_id: v.kind === 'staff' ? v.viewer.staffId : null,
      owner_team_id: b.teamId,
      stop_reason: null,
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
    // Like the chat's /digest on|off: who subscribed what is on the record (never the robot URL or secret).
    await audit(deps.db, now, {
      actorKind: 'api',
      actorStaffId: v.kind === 'staff' ? v.viewer.staffId : null,
      action: b.enabled ? 'digest.subscribed' : 'digest.unsubscribed',
      subjectKind: 'digest_subscription',
      subjectId: row.id,
      detail: { kind: b.kind, platform: b.platform, target: b.target.kind, teamId: b.teamId },
    });
    return c.json({ id: row.id }, 201);
  });

  app.openapi(runRoute, async (c) => {
    return c.json({ sent: await sendDueDigests(deps.core, (items) => queueItems(deps, items)) }, 200);
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
