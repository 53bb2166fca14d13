import { createRoute, z } from '@hono/zod-openapi';
import { MAX_REPLY_CHARS, replyToCustomer } from '../core/conversations/reply.ts';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { imageProblem } from '../core/marketing/campaigns/campaigns.ts';
import type { ApiDeps } from './api.ts';
import { queueItems, writeKey } from './api-requests.ts';
import {
  apiRouter,
  CustomerIdParams,
  errorAnswer,
  IdempotencyHeaders,
  jsonAnswer,
  jsonBody,
} from './api-schemas.ts';
import { requestActor } from './api-viewer.ts';

const NewMessage = z
  .strictObject({
    text: z
      .string()
      .trim()
      .refine((s) => [...s].length <= MAX_REPLY_CHARS, `a message is at most ${MAX_REPLY_CHARS} characters`)
      .openapi({
        description: `What to send, at most ${MAX_REPLY_CHARS} characters. \`:key\` sends the quick reply of that key (\`{name}\` filled), followed by any text after a space. May be empty with an \`image\`.`,
      }),
    image: z
      .string()
      .superRefine((s, ctx) => {
        const problem = imageProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .openapi({
        description:
          'A picture sent after the text: PNG or JPEG, base64, at most 2 MB. Refused (409 `attachment_elsewhere`) where the customer’s channel takes no pictures (WeChat Customer Service answers are text only).',
      }),
  })
  .openapi('NewMessage');

const Queued = z
  .object({
    status: z.literal('queued'),
    customerId: z.number().int(),
    channel: z.object({
      platform: z.string(),
      kind: z.string().openapi({ description: 'private, service, business, group…' }),
    }),
    idempotencyKey: z
      .string()
      .openapi({ description: 'The send’s key in the outbox: the same request sends once.' }),
  })
  .openapi('QueuedMessage');

const messageRoute = createRoute({
  method: 'post',
  path: '/customers/{id}/messages',
  tags: ['customers'],
  summary:
    'Send the customer a message where they last wrote, within the platform’s window, as `/reply` does',
  request: { params: CustomerIdParams, headers: IdempotencyHeaders, body: jsonBody(NewMessage) },
  responses: {
    202: jsonAnswer('Queued (the same again for a retry with the same Idempotency-Key)', Queued),
    400: errorAnswer('A bad body, naming the field'),
    404: errorAnswer('No such customer within the token’s scope'),
    409: jsonAnswer(
      'No channel reaches the customer now',
      z.object({
        error: z.string(),
        reason: z
          .enum([
            'no_channel',
            'contact_only',
            'unreachable',
            'outside_window',
            'reply_limit',
            'attachment_elsewhere',
          ])
          .openapi({
            description:
              'contact_only: a WeCom contact, answered in WeCom itself. unreachable: the customer blocked the bot.',
          }),
      }),
    ),
    422: errorAnswer(
      'The Idempotency-Key was already used for another message, or the text is a quick reply’s `:key` the token has none of',
    ),
  },
});

const NO_ROUTE = {
  no_channel: 'the customer has not written through a channel Liaison can answer in',
  contact_only: 'the customer is a WeCom contact: their member answers in WeCom itself',
  unreachable: 'the customer blocked the bot in the only chat that reaches them',
  outside_window: 'the platform’s reply window is closed until the customer writes again',
  reply_limit: 'the platform allows no more messages until the customer writes again',
  attachment_elsewhere: 'the customer’s channel takes no pictures',
} as const;

/** Messages to customers: `/reply` for integrations. */
export function messageRoutes(deps: ApiDeps) {
  const app = apiRouter();
  app.openapi(messageRoute, async (c) => {
    const { id } = c.req.valid('param');
    const customer = await reachCustomer(deps.db, requestActor(c), id);
    if (!customer) return c.json({ error: 'no such customer' }, 404);
    const key = writeKey('message', c.req.valid('header')['Idempotency-Key']);
    const { text, image } = c.req.valid('json');
    const outcome = await replyToCustomer(
      deps.core,
      { customer, text, ...(image ? { image: { base64: image.replace(/\s+/g, '') } } : {}) },
      key,
    );
    if (!outcome.ok) {
      if (outcome.reason === 'key_reused')
        return c.json(
          { error: 'this Idempotency-Key was used for another message', field: 'Idempotency-Key' },
          422,
        );
      // `:price` names a quick reply the token's staff member (or, unbound, the organisation) does not have.
      if (outcome.reason === 'unknown_quick_reply')
        return c.json({ error: 'no quick reply of this key is the token’s to send', field: 'text' }, 422);
      if (outcome.reason === 'empty' || outcome.reason === 'too_long')
        return c.json({ error: 'a message is 1 to 4000 characters, or a picture', field: 'text' }, 400);
      return c.json({ error: NO_ROUTE[outcome.reason], reason: outcome.reason }, 409);
    }
    await queueItems(deps, [outcome.message]);
    return c.json(
      {
        status: 'queued' as const,
        customerId: id,
        channel: { platform: outcome.route.platform, kind: outcome.route.chatKind },
        idempotencyKey: outcome.message.idempotencyKey,
      },
      202,
    );
  });
  return app;
}
