import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { addNote, MAX_NOTE_CHARS } from '../core/records/customers/notes.ts';
import { setTagByHand } from '../core/records/tags/manual.ts';
import type { ApiDeps } from './api.ts';
import { queueItems, writeKey } from './api-requests.ts';
import {
  apiRouter,
  CustomerIdParams,
  errorAnswer,
  IdempotencyHeaders,
  idSchema,
  isoTime,
  jsonAnswer,
  jsonBody,
  TagName,
} from './api-schemas.ts';
import { requestActor } from './api-viewer.ts';

const NewNote = z
  .strictObject({
    text: z
      .string()
      .trim()
      .min(1)
      .refine((s) => [...s].length <= MAX_NOTE_CHARS, `a note is at most ${MAX_NOTE_CHARS} characters`)
      .openapi({ description: `The follow-up, at most ${MAX_NOTE_CHARS} characters.` }),
  })
  .openapi('NewNote');

const Note = z
  .object({
    id: z.number().int(),
    customerId: z.number().int(),
    text: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Note');

const TagChange = z
  .object({
    changed: z.boolean().openapi({ description: 'false: the customer already had (or lacked) the tag.' }),
    mirrored: z
      .number()
      .int()
      .openapi({ description: 'Platform actions queued to mirror the change (WeCom).' }),
  })
  .openapi('TagChange');

const noCustomer = errorAnswer('No such customer within the token’s scope');

const noteRoute = createRoute({
  method: 'post',
  path: '/customers/{id}/notes',
  tags: ['customers'],
  summary: 'Record a follow-up (the customer counts as contacted), as `/note` does in chat',
  request: { params: CustomerIdParams, headers: IdempotencyHeaders, body: jsonBody(NewNote) },
  responses: {
    201: jsonAnswer('The note (the same one again for a retry with the same Idempotency-Key)', Note),
    400: errorAnswer('A bad body, naming the field'),
    404: noCustomer,
    422: errorAnswer('The Idempotency-Key was already used for another request'),
  },
});

const tagRoute = createRoute({
  method: 'post',
  path: '/customers/{id}/tags',
  tags: ['customers'],
  summary: 'Tag a customer by hand (mirrored to WeCom), as `/tag` does in chat',
  request: {
    params: CustomerIdParams,
    headers: IdempotencyHeaders,
    body: jsonBody(z.strictObject({ name: TagName }).openapi('NewTag')),
  },
  responses: {
    200: jsonAnswer('Whether the tag was added', TagChange),
    400: errorAnswer('A bad body, naming the field'),
    404: noCustomer,
  },
});

const untagRoute = createRoute({
  method: 'delete',
  path: '/customers/{id}/tags/{tag}',
  tags: ['customers'],
  summary: 'Remove a tag from a customer (mirrored to WeCom), as `/untag` does in chat',
  request: {
    params: z.object({
      id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 12 }),
      tag: TagName.openapi({ param: { name: 'tag', in: 'path' } }),
    }),
  },
  responses: {
    200: jsonAnswer('Whether the tag was removed', TagChange),
    400: errorAnswer('A bad id or tag'),
    404: noCustomer,
  },
});

/** Notes and manual tags: the chat's `/note`, `/tag` and `/untag` for integrations. */
export function noteAndTagRoutes(deps: ApiDeps) {
  const app = apiRouter();

  app.openapi(noteRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { text } = c.req.valid('json');
    const customer = await reachCustomer(deps.db, requestActor(c), id);
    if (!customer) return c.json({ error: 'no such customer' }, 404);
    const key = writeKey('note', c.req.valid('header')['Idempotency-Key']);
    const note = await addNote(deps.core, { customer, body: text }, key);
    if (!note.created && (note.customerId !== id || note.body !== text))
      return c.json(
        { error: 'this Idempotency-Key was used for another request', field: 'Idempotency-Key' },
        422,
      );
    return c.json({ id: note.id, customerId: id, text: note.body, createdAt: isoTime(note.createdAt) }, 201);
  });

  app.openapi(tagRoute, async (c) => {
    const { id } = c.req.valid('param');
    const key = writeKey('tag', c.req.valid('header')['Idempotency-Key']);
    return setTag(c, id, c.req.valid('json').name, true, key);
  });

  app.openapi(untagRoute, async (c) => {
    const { id, tag } = c.req.valid('param');
    return setTag(c, id, tag, false, writeKey('untag', undefined));
  });

  async function setTag(c: Context, customerId: number, name: string, on: boolean, key: string) {
    const customer = await reachCustomer(deps.db, requestActor(c), customerId);
    if (!customer) return c.json({ error: 'no such customer' }, 404);
    const { changed, actions } = await setTagByHand(deps.core, { customer, name, on }, key);
    await queueItems(deps, actions);
    return c.json({ changed, mirrored: actions.length }, 200);
  }

  return app;
}
