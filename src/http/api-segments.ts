import { createRoute, type Hook, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { audit } from '../core/kernel/audit.ts';
import { ownerTeamFor } from '../core/kernel/permissions/ownership.ts';
import {
  countSegment,
  filterIssue,
  type SegmentFilter,
  SegmentFilterSchema,
  type SegmentRow,
  segmentFor,
  segmentSample,
  segmentsFor,
  storedFilter,
  unknownStages,
} from '../core/reading/segments/segments.ts';
import { createSegment, deleteSegment, updateSegment } from '../core/reading/segments/store.ts';
import type { ApiDeps } from './api.ts';
import {
  type ApiEnv,
  errorAnswer,
  idSchema,
  invalidRequest,
  isoOrNull,
  isoTime,
  jsonAnswer,
  jsonBody,
  StaffRef,
} from './api-schemas.ts';
import { contactsFor, requestViewer, viewerIn } from './api-viewer.ts';

// Built here from the core's shape: schemas made before @hono/zod-openapi loaded lack `.openapi`.
const Filter = z.strictObject(SegmentFilterSchema.shape).openapi('SegmentFilter', {
  description: 'Every condition given must hold; `{}` is every customer who may be contacted.',
});
const Name = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine((n) => !/^#|^\d+$/.test(n), 'may not start with # or be a number (those name segments by id)')
  .openapi({ example: 'bought-6m-replied' });
const Description = z.string().trim().max(500).nullable();

const Segment = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    builtin: z.boolean().openapi({ description: 'Shipped with Liaison: not editable, not deletable.' }),
    filter: Filter,
    count: z.number().int().nullable().openapi({
      description: 'Members within the token’s scope; null when the stored filter is invalid (shown as {}).',
    }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Segment');

const Member = z
  .object({
    id: z.number().int(),
    name: z.string(),
    company: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    stage: z.string(),
    owner: StaffRef.nullable(),
    lastContactAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('SegmentMember');

const SegmentDetail = Segment.extend({
  sample: z.array(Member).openapi({ description: 'Members most recently in contact first, up to `limit`.' }),
}).openapi('SegmentDetail');

const Params = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });
const NewSegment = z
  .strictObject({ name: Name, description: Description.optional(), filter: Filter })
  .openapi('NewSegment');
const SegmentPatch = z
  .strictObject({ name: Name.optional(), description: Description.optional(), filter: Filter.optional() })
  .refine((p) => Object.values(p).some((v) => v !== undefined), 'nothing to change')
  .openapi('SegmentPatch');

const notManager = errorAnswer('A rep token: segments are saved by managers and above');
const unknown = errorAnswer('No such segment');
const tags = ['segments'];

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Saved segments with their member counts within the token’s scope',
  responses: { 200: jsonAnswer('The segments, built-ins first', z.object({ items: z.array(Segment) })) },
});

const createRouteDef = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Save a segment (managers and above)',
  request: { body: jsonBody(NewSegment) },
  responses: {
    201: jsonAnswer('The segment', Segment),
    400: errorAnswer('A bad body, naming the field (`filter.lastContact.withinDays`)'),
    403: notManager,
    409: errorAnswer('Another segment has this name'),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'A segment’s member count and a sample, within the token’s scope (phones masked for rep tokens)',
  request: {
    params: Params,
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
  },
  responses: {
    200: jsonAnswer('The segment', SegmentDetail),
    400: errorAnswer('A bad id or limit'),
    404: unknown,
  },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags,
  summary: 'Change a segment’s name, description or filter (managers and above; not built-ins)',
  request: { params: Params, body: jsonBody(SegmentPatch) },
  responses: {
    200: jsonAnswer('The segment as it is now', Segment),
    400: errorAnswer('A bad body, naming the field'),
    403: notManager,
    404: unknown,
    409: errorAnswer('A built-in segment, or another segment has this name'),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a segment (managers and above; not built-ins, nor one a live campaign reads)',
  request: { params: Params },
  responses: {
    200: jsonAnswer('Deleted', z.object({ deleted: z.literal(true), id: z.number().int() })),
    403: notManager,
    404: unknown,
    409: errorAnswer('A built-in segment, or a campaign not yet finished uses it'),
  },
});

/** Names the filter's field the way the chat does (`filter.lastContact.withinDays`), other fields as usual. */
const namingFilterFields: Hook<unknown, ApiEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  if (issue?.path[0] !== 'filter') return invalidRequest(result, c);
  const { field, message } = filterIssue(issue);
  return c.json({ error: `invalid body: ${message}`, field }, 400);
};

/** Saved segments (分群): list, save, read with a sample, change, delete. */
export function segmentRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: namingFilterFields });
  const viewerOf = (c: Context) => viewerIn(requestViewer(c)) ?? null;
  const mayEdit = (c: Context) => viewerOf(c)?.role !== 'rep';
  const refused = { error: 'segments are saved by managers and above' };

  /** A segment as the API shows it, with its count in the token's scope. */
  const shown = async (c: Context, row: SegmentRow) => {
    const parsed = storedFilter(row);
    const now = deps.core.clock.now();
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      builtin: row.builtin === 1,
      filter: parsed.ok ? parsed.filter : ({} as SegmentFilter),
      count: parsed.ok ? await countSegment(deps, parsed.filter, viewerOf(c), now) : null,
      createdAt: isoTime(row.created_at),
      updatedAt: isoTime(row.updated_at),
    };
  };

  const badStages = (filter: SegmentFilter | undefined) => {
    const bad = filter ? unknownStages(filter, deps.core.org.stages) : [];
    if (bad.length === 0) return null;
    const field = filter?.stages?.includes(bad[0] as string) ? 'filter.stages' : 'filter.excludeStages';
    const known = deps.core.org.stages.map((s) => s.key).join(', ');
    return { error: `unknown stage ${bad[0]}; stages are ${known}`, field };
  };

  const record = (c: Context, action: string, row: SegmentRow, detail: Record<string, unknown> = {}) =>
    audit(deps.db, deps.core.clock.now(), {
      actorKind: 'api',
      actorStaffId: viewerOf(c)?.staffId ?? null,
      action,
      subjectKind: 'segment',
      subjectId: row.id,
      detail: { name: row.name, ...detail },
      via: 'api',
    });

  app.openapi(listRoute, async (c) => {
    const rows = await segmentsFor(deps.db, viewerOf(c));
    const items = [];
    for (const row of rows) items.push(await shown(c, row));
    return c.json({ items }, 200);
  });

  app.openapi(createRouteDef, async (c) => {
    if (!mayEdit(c)) return c.json(refused, 403);
    const body = c.req.valid('json');
    const stages = badStages(body.filter);
    if (stages) return c.json(stages, 400);
    const outcome = await createSegment(deps.db, deps.core.clock.now(), {
      name: body.name,
      description: body.description ?? null,
      filter: body.filter,
      createdByStaffId: viewerOf(c)?.staffId ?? null,
      ownerTeamId: ownerTeamFor(viewerOf(c)),
    });
    if (outcome.kind === 'duplicate')
      return c.json({ error: 'a segment with this name exists', field: 'name' }, 409);
    await record(c, 'segment.created', outcome.segment, { filter: body.filter });
    return c.json(await shown(c, outcome.segment), 201);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await segmentFor(deps.db, viewerOf(c), `#${id}`);
    if (!row || row.id !== id) return c.json({ error: 'no such segment' }, 404);
    const parsed = storedFilter(row);
    const raw = parsed.ok
      ? await segmentSample(
          deps,
          parsed.filter,
          viewerOf(c),
          deps.core.clock.now(),
          c.req.valid('query').limit,
        )
      : [];
    const sample = await contactsFor(deps.core, requestViewer(c), raw, `GET /api/segments/${id}`);
    return c.json(
      {
        ...(await shown(c, row)),
        sample: sample.map((m) => ({ ...m, lastContactAt: isoOrNull(m.lastContactAt) })),
      },
      200,
    );
  });

  app.openapi(patchRoute, async (c) => {
    if (!mayEdit(c)) return c.json(refused, 403);
    const { id } = c.req.valid('param');
    const patch = c.req.valid('json');
    const stages = badStages(patch.filter);
    if (stages) return c.json(stages, 400);
    const outcome = await updateSegment(deps.db, deps.core.clock.now(), id, patch, viewerOf(c));
    if (outcome.kind === 'unknown') return c.json({ error: 'no such segment' }, 404);
    if (outcome.kind === 'builtin')
      return c.json({ error: 'built-in segments cannot be changed; save a copy under a new name' }, 409);
    if (outcome.kind === 'duplicate')
      return c.json({ error: 'a segment with this name exists', field: 'name' }, 409);
    await record(c, 'segment.updated', outcome.segment, { changed: Object.keys(patch) });
    return c.json(await shown(c, outcome.segment), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    if (!mayEdit(c)) return c.json(refused, 403);
    const { id } = c.req.valid('param');
    const outcome = await deleteSegment(deps.db, id, viewerOf(c));
    if (outcome.kind === 'unknown') return c.json({ error: 'no such segment' }, 404);
    if (outcome.kind === 'builtin') return c.json({ error: 'built-in segments cannot be deleted' }, 409);
    if (outcome.kind === 'in_use')
      return c.json({ error: 'a campaign not yet finished uses this segment' }, 409);
    await record(c, 'segment.deleted', outcome.segment);
    return c.json({ deleted: true as const, id }, 200);
  });

  return app;
}
