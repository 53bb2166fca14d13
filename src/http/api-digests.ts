import { createRoute, z } from '@hono/zod-openapi';
import { CHAT_APP_PLATFORMS } from '../../db/schema.ts';
import { mayMarket, mayOperate } from '../core/kernel/permissions/actor.ts';
import { listDigestSubscriptions, subscribeDigest } from '../core/reading/digests/subscriptions.ts';
import { sendDueDigests } from '../jobs/timed-work.ts';
import type { ApiDeps } from './api.ts';
import { queueItems } from './api-requests.ts';
import { apiRouter, errorAnswer, jsonAnswer, jsonBody, PlatformSchema } from './api-schemas.ts';
import { requestActor } from './api-viewer.ts';

const Subscription = z
  .object({
    platform: z.enum(CHAT_APP_PLATFORMS),
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

const notAdmin = errorAnswer('Not a manager (subscriptions) or admin (run) token, or a team out of reach');

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
    404: errorAnswer('The target’s subscription belongs to another team'),
  },
});

const runRoute = createRoute({
  method: 'post',
  path: '/run',
  tags: ['digests'],
  summary: 'Send every digest due now, once each',
  responses: { 200: jsonAnswer('How many went out', z.object({ sent: z.number().int() })), 403: notAdmin },
});

const REFUSED: Record<'not_allowed' | 'team_out_of_reach' | 'not_yours', string> = {
  not_allowed: 'digest subscriptions are for managers and above',
  team_out_of_reach: 'teamId: a team the token manages (none: its own customers)',
  not_yours: 'this target’s subscription belongs to another team',
};

/**
 * Digest subscriptions (robots are configured here), in the token's reach: managers their subtree's and their own,
 * directors and admins all. The on-demand run is for admin tokens.
 */
export function digestRoutes(deps: ApiDeps) {
  const app = apiRouter();

  app.openapi(listRoute, async (c) => {
    const actor = requestActor(c);
    if (!mayMarket(actor)) return c.json({ error: REFUSED.not_allowed }, 403);
    const rows = await listDigestSubscriptions(deps.core, actor);
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
    const outcome = await subscribeDigest(deps.core, requestActor(c), {
      kind: b.kind,
      platform: b.platform,
      workspace: adapter.workspace,
      target: { kind: b.target.kind, ref: b.target.ref, secret: b.target.secret ?? null },
      teamId: b.teamId,
      language: b.language,
      enabled: b.enabled,
      sendAt: b.sendAt ?? null,
      timeZone: b.timeZone ?? null,
    });
    if (!outcome.ok) {
      if (outcome.reason === 'bad_robot')
        return c.json({ error: `target.ref: ${outcome.detail}`, field: 'target.ref' }, 400);
      if (outcome.reason === 'not_yours') return c.json({ error: REFUSED.not_yours }, 404);
      return c.json({ error: REFUSED[outcome.reason], field: 'teamId' }, 403);
    }
    return c.json({ id: outcome.id }, 201);
  });

  app.openapi(runRoute, async (c) => {
    if (!mayOperate(requestActor(c))) return c.json({ error: 'running digests is for admin tokens' }, 403);
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
