import { createRoute, z } from '@hono/zod-openapi';
import {
  listQuickReplies,
  MAX_QUICK_KEY_CHARS,
  MAX_QUICK_REPLY_CHARS,
  type QuickReply,
  quickReplyKey,
} from '../core/records/quick-replies/quick-replies.ts';
import { removeQuickReply, saveQuickReply } from '../core/records/quick-replies/store.ts';
import type { ApiDeps } from './api.ts';
import { writeKey } from './api-requests.ts';
import {
  apiRouter,
  errorAnswer,
  IdempotencyHeaders,
  idSchema,
  isoTime,
  jsonAnswer,
  jsonBody,
} from './api-schemas.ts';
import { requestActor } from './api-viewer.ts';

const QuickReplySchema = z
  .object({
    id: z.number().int(),
    key: z.string().openapi({ description: 'Sent as `:key` (`/reply #12 :price`, or a message’s `text`).' }),
    text: z.string().openapi({ description: '`{name}` becomes the customer’s name when sent.' }),
    team: z.object({ id: z.number().int(), name: z.string().nullable() }).nullable().openapi({
      description: 'The owning team (seen by it and the teams under it); null: the organisation’s.',
    }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('QuickReply');

const NewQuickReply = z
  .strictObject({
    key: z
      .string()
      .max(MAX_QUICK_KEY_CHARS + 1)
      .refine((k) => quickReplyKey(k) !== null, `1–${MAX_QUICK_KEY_CHARS} letters, digits, _ or -`)
      .openapi({ description: 'Stored lower-case, without a leading colon.', example: 'price' }),
    text: z
      .string()
      .trim()
      .min(1)
      .max(MAX_QUICK_REPLY_CHARS)
      .openapi({ example: '{name}您好，企业版每年 12000 元，含 50 个账号。' }),
    teamId: idSchema.nullable().optional().openapi({
      description:
        'The owning team; null: the organisation’s (directors and admins). Default: a manager token’s team, else the organisation.',
    }),
  })
  .openapi('NewQuickReply');

const tags = ['quick replies'];
const refused = errorAnswer(
  'Not the token’s to write: reps, managers without a team, or another team than a manager’s own and those under it',
);

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary:
    'The quick replies (话术库) the token may send: its team’s, the teams’ above it, the organisation’s',
  responses: { 200: jsonAnswer('By key', z.object({ items: z.array(QuickReplySchema) })) },
});

const saveRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Add a quick reply, or give a key of that team a new text (managers and above)',
  request: { headers: IdempotencyHeaders, body: jsonBody(NewQuickReply) },
  responses: {
    200: jsonAnswer('The key existed in that team: its new text', QuickReplySchema),
    201: jsonAnswer('Added (the same again for a retry with the same Idempotency-Key)', QuickReplySchema),
    400: errorAnswer('A bad body, naming the field (`teamId`: no such team)'),
    403: refused,
    422: errorAnswer('The Idempotency-Key was already used for another quick reply'),
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Remove a quick reply (managers: their team’s; directors and admins: any)',
  request: { params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }) }) },
  responses: {
    200: jsonAnswer('Removed', z.object({ deleted: z.literal(true), id: z.number().int() })),
    403: refused,
    404: errorAnswer('No such quick reply the token sees'),
  },
});

const shown = (q: QuickReply) => ({
  id: q.id,
  key: q.key,
  text: q.text,
  team: q.teamId === null ? null : { id: q.teamId, name: q.teamName },
  createdAt: isoTime(q.createdAt),
  updatedAt: isoTime(q.updatedAt),
});

const notAllowed = { error: 'quick replies are written by managers (their team’s) and above' };

/** Quick replies (话术库): the chat's `/quick` for integrations, under the same role and team rules. */
export function quickReplyRoutes(deps: ApiDeps) {
  const app = apiRouter();

  app.openapi(listRoute, async (c) => {
    const items = await listQuickReplies(deps.db, requestActor(c));
    return c.json({ items: items.map(shown) }, 200);
  });

  app.openapi(saveRoute, async (c) => {
    const body = c.req.valid('json');
    const key = writeKey('quick-reply', c.req.valid('header')['Idempotency-Key']);
    const outcome = await saveQuickReply(
      deps.core,
      requestActor(c),
      { key: body.key, text: body.text, ...(body.teamId !== undefined ? { teamId: body.teamId } : {}) },
      key,
    );
    if (outcome.ok) return c.json(shown(outcome.quickReply), outcome.created ? 201 : 200);
    switch (outcome.reason) {
      case 'not_allowed':
      case 'no_team':
        return c.json(notAllowed, 403);
      case 'key_reused':
        return c.json(
          { error: 'this Idempotency-Key was used for another quick reply', field: 'Idempotency-Key' },
          422,
        );
      case 'unknown_team':
        return c.json({ error: 'no such team', field: 'teamId' }, 400);
      case 'invalid_key':
        return c.json({ error: 'invalid body', field: 'key' }, 400);
      case 'empty':
      case 'too_long':
        return c.json(
          { error: `a quick reply is 1 to ${MAX_QUICK_REPLY_CHARS} characters`, field: 'text' },
          400,
        );
    }
  });

  app.openapi(removeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const outcome = await removeQuickReply(deps.core, requestActor(c), { id });
    if (outcome.ok) return c.json({ deleted: true as const, id }, 200);
    // `ambiguous` needs a key; by id there is one quick reply or none.
    if (outcome.reason === 'unknown' || outcome.reason === 'ambiguous')
      return c.json({ error: 'no such quick reply' }, 404);
    return c.json(notAllowed, 403);
  });

  return app;
}
