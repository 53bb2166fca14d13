import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CHAT_APP_PLATFORMS } from '../../db/schema.ts';
import { audit } from '../core/kernel/audit.ts';
import { ownerTeamFor } from '../core/kernel/permissions/ownership.ts';
import { canSeeCustomer } from '../core/kernel/permissions/scope.ts';
import { managesStaff } from '../core/kernel/permissions/staff-scope.ts';
import {
  CHANNEL_KINDS,
  createChannelCode,
  deactivateChannelCode,
} from '../core/marketing/attribution/codes.ts';
import { type ChannelCodeWithCounts, listChannelCodes } from '../core/marketing/attribution/listing.ts';
import type { ApiDeps } from './api.ts';
import {
  apiRouter,
  ErrorBody,
  errorAnswer,
  idSchema,
  isoTime,
  jsonAnswer,
  jsonBody,
  PlatformSchema,
  StaffRef,
} from './api-schemas.ts';
import { requestViewer, viewerIn } from './api-viewer.ts';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const NewChannel = z
  .strictObject({
    code: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 characters of A-Z a-z 0-9 _ - (at most 30 on WeCom)')
      .optional()
      .openapi({
        description: 'Generated when absent. WeCom hands back at most 30 characters.',
        example: 'expo2026',
      }),
    name: z.string().trim().min(1).max(100).openapi({ example: '2026 春季展会' }),
    kind: z.enum(CHANNEL_KINDS),
    platform: z.enum(CHAT_APP_PLATFORMS),
    staff: z.array(id).min(1).max(100).optional().openapi({
      description:
        'Staff ids a customer is put in touch with (WeCom contact-me members); the first is the code’s rep.',
    }),
    chatId: z.string().trim().min(1).max(200).optional().openapi({
      description: 'Feishu: the external chat the code is bound to (Feishu has no contact link with a code).',
    }),
    campaignId: id.optional(),
    referrerCustomerId: id
      .optional()
      .openapi({ description: 'The referring customer; required for kind `referral`.' }),
    welcome: z.string().trim().min(1).max(1000).optional().openapi({
      description:
        'WeCom: the welcome (欢迎语) a new contact who came through it gets; `{name}` is theirs. Default: CONTACT_WELCOME.',
      example: '{name}您好，欢迎来到星河科技展台！',
    }),
  })
  .openapi('NewChannel');

const Channel = z
  .object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    platform: PlatformSchema,
    link: z.string().nullable().openapi({ description: 'The WeCom QR code URL or the Telegram deep link.' }),
    platformRef: z
      .string()
      .nullable()
      .openapi({ description: 'WeCom config_id, or the bound Feishu chat id.' }),
    staff: StaffRef.nullable(),
    campaignId: z.number().int().nullable(),
    referrerCustomerId: z.number().int().nullable(),
    welcome: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    customers: z.object({
      firstSource: z.number().int().openapi({ description: 'Customers whose first source it is.' }),
      anySource: z.number().int().openapi({ description: 'Customers who came through it at any time.' }),
    }),
  })
  .openapi('Channel');

const PlatformError = ErrorBody.extend({
  errcode: z
    .number()
    .int()
    .nullable()
    .openapi({ description: 'The platform’s error code, when it gave one.' }),
}).openapi('PlatformError');

const ChannelParams = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }) });

const createRouteDef = createRoute({
  method: 'post',
  path: '/',
  tags: ['channels'],
  summary:
    'Create a channel code (渠道活码): a WeCom contact-me QR code, a Telegram deep link, a bound Feishu chat',
  request: { body: jsonBody(NewChannel) },
  responses: {
    201: jsonAnswer('The channel code with its link', Channel),
    400: errorAnswer('A bad body, naming the field'),
    403: errorAnswer('Not a manager’s token, or staff the token does not manage'),
    409: errorAnswer('The code exists, the chat is bound already, or the platform is not configured'),
    502: { description: 'The platform refused', content: { 'application/json': { schema: PlatformError } } },
  },
});

const listRouteDef = createRoute({
  method: 'get',
  path: '/',
  tags: ['channels'],
  summary: 'Channel codes, newest first, with how many customers each brought',
  responses: { 200: jsonAnswer('The channel codes', z.object({ items: z.array(Channel) })) },
});

const getRouteDef = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['channels'],
  summary: 'One channel code with its customer counts',
  request: { params: ChannelParams },
  responses: {
    200: jsonAnswer('The channel code', Channel),
    400: errorAnswer('A bad id'),
    404: errorAnswer('No such channel code within the token’s scope'),
  },
});

const deleteRouteDef = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['channels'],
  summary: 'Deactivate a channel code (and delete the WeCom contact-me config); customers keep their sources',
  request: { params: ChannelParams },
  responses: {
    200: jsonAnswer('The channel code, inactive', Channel),
    400: errorAnswer('A bad id'),
    403: errorAnswer('Not a manager’s token'),
    404: errorAnswer('No such channel code within the token’s scope'),
    502: { description: 'The platform refused', content: { 'application/json': { schema: PlatformError } } },
  },
});

/** Channel codes (渠道活码): reading for every token, writing for managers and above; writes are audited. */
export function channelRoutes(deps: ApiDeps) {
  const app = apiRouter();
  const { db } = deps;

  /** A rep's token reads channel codes but does not write them. */
  const notManager = (c: Context) => {
    const v = requestViewer(c);
    return v.kind === 'staff' && v.viewer.role === 'rep';
  };
  const actor = (c: Context) => viewerIn(requestViewer(c))?.staffId ?? null;
  /** Referral codes of customers outside a staff token's scope are left out, as for /channel. */
  const scoped = (c: Context) => {
    const viewer = viewerIn(requestViewer(c));
    return viewer ? { viewer } : {};
  };
  const one = async (c: Context, channelId: number) =>
    (await listChannelCodes(db, { ids: [channelId], ...scoped(c) }))[0];

  app.openapi(createRouteDef, async (c) => {
    if (notManager(c)) return c.json({ error: 'channel codes are created by managers and above' }, 403);
    const body = c.req.valid('json');
    const viewer = viewerIn(requestViewer(c));
    for (const staffId of body.staff ?? []) {
      if (viewer && !(await managesStaff(db, viewer, staffId)))
        return c.json({ error: 'the staff must be staff the token manages', field: 'staff' }, 403);
    }
    if (
      viewer &&
      body.referrerCustomerId !== undefined &&
      !(await canSeeCustomer(db, viewer, body.referrerCustomerId))
    )
      return c.json({ error: 'no such customer', field: 'referrerCustomerId' }, 400);
    const outcome = await createChannelCode(deps.core, {
      name: body.name,
      kind: body.kind,
      platform: body.platform,
      createdByStaffId: actor(c),
      ownerTeamId: ownerTeamFor(viewer ?? null),
      ...(body.code !== undefined ? { code: body.code } : {}),
      ...(body.staff ? { staffIds: body.staff } : {}),
      ...(body.chatId !== undefined ? { chatId: body.chatId } : {}),
      ...(body.campaignId !== undefined ? { campaignId: body.campaignId } : {}),
      ...(body.referrerCustomerId !== undefined ? { referrerCustomerId: body.referrerCustomerId } : {}),
      ...(body.welcome !== undefined ? { welcome: body.welcome } : {}),
    });
    if (!outcome.ok) {
      if (outcome.status === 'invalid') return c.json({ error: outcome.error, field: outcome.field }, 400);
      if (outcome.status === 'conflict') return c.json({ error: outcome.error, field: outcome.field }, 409);
      if (outcome.status === 'unconfigured') return c.json({ error: outcome.error, field: 'platform' }, 409);
      return c.json({ error: outcome.error, errcode: outcome.errcode }, 502);
    }
    const ch = outcome.channel;
    await audit(db, deps.core.clock.now(), {
      actorKind: 'api',
      actorStaffId: actor(c),
      action: 'channel_code.created',
      subjectKind: 'channel_code',
      subjectId: ch.id,
      detail: { code: ch.code, kind: ch.kind, platform: ch.platform },
    });
    const shown = (await one(c, ch.id)) ?? {
      ...ch,
      staff_name: null,
      firstSourceCustomers: 0,
      anySourceCustomers: 0,
    };
    return c.json(channelJson(shown), 201);
  });

  app.openapi(listRouteDef, async (c) => {
    const items = await listChannelCodes(db, scoped(c));
    return c.json({ items: items.map(channelJson) }, 200);
  });

  app.openapi(getRouteDef, async (c) => {
    const found = await one(c, c.req.valid('param').id);
    if (!found) return c.json({ error: 'no such channel code' }, 404);
    return c.json(channelJson(found), 200);
  });

  app.openapi(deleteRouteDef, async (c) => {
    const channelId = c.req.valid('param').id;
    if (!(await one(c, channelId))) return c.json({ error: 'no such channel code' }, 404);
    if (notManager(c)) return c.json({ error: 'channel codes are deactivated by managers and above' }, 403);
    const outcome = await deactivateChannelCode(deps.core, channelId, viewerIn(requestViewer(c)) ?? null);
    if (!outcome.ok) {
      if (outcome.status === 'unknown') return c.json({ error: 'no such channel code' }, 404);
      return c.json({ error: outcome.error, errcode: outcome.errcode }, 502);
    }
    if (outcome.changed) {
      await audit(db, deps.core.clock.now(), {
        actorKind: 'api',
        actorStaffId: actor(c),
        action: 'channel_code.deactivated',
        subjectKind: 'channel_code',
        subjectId: channelId,
        detail: { code: outcome.channel.code, platform: outcome.channel.platform },
      });
    }
    const shown = await one(c, channelId);
    if (!shown) return c.json({ error: 'no such channel code' }, 404);
    return c.json(channelJson(shown), 200);
  });

  return app;
}

function channelJson(ch: ChannelCodeWithCounts) {
  return {
    id: Number(ch.id),
    code: ch.code,
    name: ch.name,
    kind: ch.kind,
    platform: ch.platform,
    link: ch.link,
    platformRef: ch.platform_ref,
    staff: ch.staff_id === null ? null : { id: Number(ch.staff_id), name: ch.staff_name ?? '' },
    campaignId: ch.campaign_id === null ? null : Number(ch.campaign_id),
    referrerCustomerId: ch.referrer_customer_id === null ? null : Number(ch.referrer_customer_id),
    welcome: ch.welcome,
    active: ch.active === 1,
    createdAt: isoTime(Number(ch.created_at)),
    customers: { firstSource: ch.firstSourceCustomers, anySource: ch.anySourceCustomers },
  };
}
