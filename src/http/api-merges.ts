import { createRoute, z } from '@hono/zod-openapi';
import { reachCustomer } from '../core/kernel/permissions/reach.ts';
import { applyMerge, previewMerge, undoMerge } from '../core/records/merge/merge.ts';
import type { MergePreview, MergeSide } from '../core/records/merge/preview.ts';
import type { MergedValue } from '../core/records/merge/rules.ts';
import type { ApiDeps } from './api.ts';
import { customerSummary, writeKey } from './api-requests.ts';
import {
  apiRouter,
  CustomerSummary,
  errorAnswer,
  IdempotencyHeaders,
  idSchema,
  isoTime,
  jsonAnswer,
  jsonBody,
  StaffRef,
} from './api-schemas.ts';
import { requestActor, requestViewer, viewerIn } from './api-viewer.ts';

const customerId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const MergeRequest = z
  .strictObject({
    survivor: customerId.openapi({ description: 'The customer kept.' }),
    merged: customerId.openapi({ description: 'The customer merged into it (hidden afterwards).' }),
    confirm: z.boolean().optional().openapi({ description: 'true merges; false or absent only previews.' }),
  })
  .openapi('MergeRequest');

const Side = z
  .object({
    id: z.number().int(),
    name: z.string(),
    company: z.string().nullable(),
    phone: z.string().nullable().openapi({ description: 'Masked.' }),
    email: z.string().nullable().openapi({ description: 'Masked.' }),
    owner: StaffRef.nullable(),
    stage: z.string(),
    source: z.string().nullable(),
    firstContactAt: z.string().openapi({ format: 'date-time' }),
    identities: z.array(z.object({ platform: z.string(), name: z.string().nullable() })),
    tags: z.array(z.object({ name: z.string(), source: z.string() })),
    counts: z.object({ messages: z.number(), notes: z.number(), deals: z.number(), reminders: z.number() }),
  })
  .openapi('MergeSide');

const reason = z
  .string()
  .openapi({ description: 'same, survivor, survivor_empty, further_stage, active_over_lost, earliest' });
const decided = <T extends z.ZodType>(value: T) =>
  z.object({ value, from: z.enum(['survivor', 'merged']), reason });

const Preview = z
  .object({
    applied: z.literal(false),
    survivor: Side,
    merged: Side,
    result: z.object({
      owner: decided(z.number().int().nullable()),
      stage: decided(z.string()),
      name: decided(z.string()),
      company: decided(z.string().nullable()),
      phone: decided(z.string().nullable()),
      email: decided(z.string().nullable()),
      firstContactAt: decided(z.string()),
      source: decided(z.string().nullable()),
    }),
  })
  .openapi('MergePreview');

const Merged = z
  .object({
    applied: z.literal(true),
    mergeId: z.number().int(),
    survivor: CustomerSummary,
    mergedId: z.number().int(),
  })
  .openapi('MergeDone');

const MergeConflict = z
  .object({ error: z.string(), mergeId: z.number().int().optional() })
  .openapi('MergeConflict');
const conflict = (description: string) => ({
  description,
  content: { 'application/json': { schema: MergeConflict } },
});

const Undone = z
  .object({
    mergeId: z.number().int(),
    status: z.literal('undone'),
    survivorId: z.number().int(),
    mergedId: z.number().int(),
  })
  .openapi('MergeUndone');

const mergeRoute = createRoute({
  method: 'post',
  path: '/customers/merge',
  tags: ['customers'],
  summary:
    'Preview a merge of two customers (confirm false/absent: writes nothing), or merge them (confirm true)',
  request: { headers: IdempotencyHeaders, body: jsonBody(MergeRequest) },
  responses: {
    200: jsonAnswer(
      'The preview: both records, counts, and which values the kept record gets and why',
      Preview,
    ),
    201: jsonAnswer('Merged (the same merge again for a retry with the same Idempotency-Key)', Merged),
    400: errorAnswer('A bad body, or the same customer twice'),
    404: errorAnswer('Either customer does not exist within the token’s scope (or is merged away)'),
    409: conflict('The pair is merged already (mergeId names it), or one of them is being merged'),
  },
});

const undoRoute = createRoute({
  method: 'post',
  path: '/customers/merges/{id}/undo',
  tags: ['customers'],
  summary:
    'Undo a merge: both records exactly as they were (rows written on the kept one since stay with it)',
  request: { params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 3 }) }) },
  responses: {
    200: jsonAnswer('Undone', Undone),
    404: errorAnswer('No such merge within the token’s scope'),
    409: conflict('Undone already, or the kept customer was merged again since (undo that merge first)'),
  },
});

/** Merging two customers and undoing it (`/merge` and `/unmerge` in chat). */
export function mergeRoutes(deps: ApiDeps) {
  const app = apiRouter();

  app.openapi(mergeRoute, async (c) => {
    const { survivor, merged, confirm } = c.req.valid('json');
    const viewer = viewerIn(requestViewer(c));
    if (survivor === merged) return c.json({ error: 'survivor and merged are the same customer' }, 400);
    const key = writeKey('merge', c.req.valid('header')['Idempotency-Key']);
    if (!confirm) {
      const shown = await previewMerge(deps.core, survivor, merged, viewer);
      if (shown.kind !== 'preview') return c.json({ error: 'no such customer' }, 404);
      return c.json({ applied: false as const, ...previewBody(shown.preview) }, 200);
    }
    // Scope first, counting a customer already merged into the other (a retry, or the loser of a race) as in scope.
    const actor = requestActor(c);
    const kept = await reachCustomer(deps.db, actor, survivor, { mergedAway: true });
    const gone = await reachCustomer(deps.db, actor, merged, { mergedAway: true });
    if (!kept || !gone) return c.json({ error: 'no such customer' }, 404);
    const done = await applyMerge(deps.core, kept, gone, key);
    if (done.kind === 'merged') {
      const kept = await customerSummary(deps, c, done.survivorId, 'POST /api/customers/merge');
      if (!kept) return c.json({ error: 'no such customer' }, 404);
      return c.json(
        { applied: true as const, mergeId: done.mergeId, survivor: kept, mergedId: done.mergedId },
        201,
      );
    }
    if (done.kind === 'already') return c.json({ error: 'already merged', mergeId: done.mergeId }, 409);
    if (done.kind === 'busy') return c.json({ error: 'one of them is being merged; try again' }, 409);
    if (done.kind === 'same') return c.json({ error: 'survivor and merged are the same customer' }, 400);
    return c.json({ error: 'no such customer' }, 404);
  });

  app.openapi(undoRoute, async (c) => {
    const { id } = c.req.valid('param');
    const done = await undoMerge(deps.core, id, requestActor(c));
    if (done.kind === 'undone') {
      return c.json(
        { mergeId: id, status: 'undone' as const, survivorId: done.survivorId, mergedId: done.mergedId },
        200,
      );
    }
    if (done.kind === 'not_applied') return c.json({ error: 'undone already', mergeId: id }, 409);
    if (done.kind === 'blocked') {
      return c.json(
        { error: 'the kept customer was merged again since; undo that merge first', mergeId: done.by },
        409,
      );
    }
    return c.json({ error: 'no such merge' }, 404);
  });

  return app;
}

const iso = (v: MergedValue<number>): MergedValue<string> => ({ ...v, value: isoTime(v.value) });
const sideBody = (s: MergeSide) => ({ ...s, firstContactAt: isoTime(s.firstContactAt) });

/** The preview as the API answers it: times as ISO 8601. */
function previewBody(p: MergePreview) {
  return {
    survivor: sideBody(p.survivor),
    merged: sideBody(p.merged),
    result: { ...p.result, firstContactAt: iso(p.result.firstContactAt) },
  };
}
