import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  type CampaignActor,
  type CampaignRow,
  campaignFor,
  cancelCampaign,
  createCampaign,
  imageProblem,
  listCampaigns,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  type TransitionOutcome,
} from '../core/marketing/campaigns/campaigns.ts';
import { previewCampaign } from '../core/marketing/campaigns/preview.ts';
import { campaignProgress } from '../core/marketing/campaigns/progress.ts';
import type { ApiDeps } from './api.ts';
import { apiRouter, errorAnswer, idSchema, isoOrNull, isoTime, jsonAnswer, jsonBody } from './api-schemas.ts';
import { requestViewer, viewerIn } from './api-viewer.ts';

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;
/** WeCom's add_msg_template takes at most 4000 bytes of text; the other platforms split longer text. */
const MAX_TEXT_BYTES = 4000;
const instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-03-05T09:00:00+08:00' });

const NewCampaign = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .refine((n) => !/^#?\d+$/.test(n), 'may not be a number (numbers name campaigns by id)'),
    segment: z
      .union([z.number().int().positive(), z.string().trim().min(1).max(100)])
      .openapi({ description: 'The segment’s id or name.', example: 'dormant' }),
    text: z
      .string()
      .trim()
      .min(1)
      .refine((t) => utf8Bytes(t) <= MAX_TEXT_BYTES, `at most ${MAX_TEXT_BYTES} bytes (UTF-8)`),
    link: z.strictObject({ title: z.string().trim().min(1).max(128), url: z.url().max(2048) }).optional(),
    image: z
      .string()
      .superRefine((s, ctx) => {
        const problem = imageProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .openapi({ description: 'A PNG or JPEG, base64, at most 2 MB.' }),
    holdoutPct: z
      .number()
      .int()
      .min(0)
      .max(50)
      .optional()
      .openapi({ description: 'Comparison group, 0–50 %.' }),
    windowDays: z
      .number()
      .int()
      .min(1)
      .max(90)
      .optional()
      .openapi({ description: 'Effect window, default 14.' }),
    scheduledAt: instant.optional().openapi({ description: 'Schedules it at once; otherwise a draft.' }),
  })
  .openapi('NewCampaign');

const Counts = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byReason: z.record(z.string(), z.number().int()),
});

const Campaign = z
  .object({
    id: z.number().int(),
    name: z.string(),
    segment: z.object({ id: z.number().int(), name: z.string().nullable() }),
    text: z.string(),
    link: z.object({ title: z.string(), url: z.string() }).nullable(),
    hasImage: z.boolean(),
    status: z.enum(['draft', 'scheduled', 'running', 'paused', 'cancelled', 'done']),
    holdoutPct: z.number().int(),
    windowDays: z.number().int(),
    scheduledAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    createdAt: z.string(),
    recipients: Counts.openapi({ description: 'Recipients by status, and skipped/failed ones by reason.' }),
    massSends: z.array(
      z.object({
        sender: z.string(),
        status: z.string(),
        customers: z.number().int(),
        failed: z.number().int(),
        confirmedAt: z.string().nullable(),
      }),
    ),
  })
  .openapi('Campaign');

const Preview = z
  .object({
    campaign: z.number().int(),
    segmentSize: z.number().int(),
    holdout: z.number().int(),
    skipped: z.record(z.string(), z.number().int()),
    reachable: z.object({
      total: z.number().int(),
      byRoute: z.object({ chat: z.number().int(), wecom_template: z.number().int() }),
      byPlatform: z.record(z.string(), z.number().int()),
    }),
    wecomSenders: z.array(z.object({ sender: z.string(), customers: z.number().int() })),
    shownAs: z.array(
      z.object({
        route: z.string(),
        platform: z.string(),
        text: z.string(),
        attachments: z.array(z.string()),
      }),
    ),
    segmentFound: z.boolean(),
  })
  .openapi('CampaignPreview');

const Params = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });
const tags = ['campaigns'];
const notManager = errorAnswer('A rep token: campaigns are for managers and above');
const unknown = errorAnswer('No such campaign');
const wrongState = errorAnswer('Not possible in the campaign’s state (e.g. pausing a cancelled campaign)');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Campaigns, newest first, with their recipients by status',
  responses: { 200: jsonAnswer('The campaigns', z.object({ items: z.array(Campaign) })), 403: notManager },
});
const createDef = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary:
    'Create a campaign (群发) to a segment, read in the token’s data scope; a draft unless scheduledAt is given',
  request: { body: jsonBody(NewCampaign) },
  responses: {
    201: jsonAnswer('The campaign', Campaign),
    400: errorAnswer('A bad body, naming the field'),
    403: notManager,
    404: errorAnswer('No such segment'),
    409: errorAnswer('Another campaign has this name'),
  },
});
const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'A campaign: status, recipients by status and reason, WeCom tasks',
  request: { params: Params },
  responses: { 200: jsonAnswer('The campaign', Campaign), 403: notManager, 404: unknown },
});
const previewRoute = createRoute({
  method: 'post',
  path: '/{id}/preview',
  tags,
  summary:
    'What launching now would do (segment size, holdout, skipped by reason, reachable by route); writes nothing',
  request: { params: Params },
  responses: { 200: jsonAnswer('The preview', Preview), 403: notManager, 404: unknown },
});
const scheduleRoute = createRoute({
  method: 'post',
  path: '/{id}/schedule',
  tags,
  summary: 'Schedule a draft (or move a scheduled campaign) to `at`, or now',
  request: {
    params: Params,
    body: {
      required: false,
      content: { 'application/json': { schema: z.strictObject({ at: instant.optional() }) } },
    },
  },
  responses: {
    200: jsonAnswer('The campaign', Campaign),
    400: errorAnswer('A bad body'),
    403: notManager,
    404: unknown,
    409: wrongState,
  },
});
const stateRoute = (verb: 'pause' | 'resume' | 'cancel', summary: string) =>
  createRoute({
    method: 'post',
    path: `/{id}/${verb}`,
    tags,
    summary,
    request: { params: Params },
    responses: { 200: jsonAnswer('The campaign', Campaign), 403: notManager, 404: unknown, 409: wrongState },
  });

/** Campaigns (群发): create, list, preview, schedule, pause, resume, cancel. Managers and above. */
export function campaignRoutes(deps: ApiDeps) {
  const app = apiRouter();
  const core = deps.core;
  app.use('*', async (c, next) => {
    const viewer = viewerIn(requestViewer(c));
    if (viewer?.role === 'rep') return c.json({ error: 'campaigns are for managers and above' }, 403);
    await next();
  });
  const actor = (c: Context): CampaignActor => {
    const viewer = viewerIn(requestViewer(c)) ?? null;
    return { kind: 'api', staffId: viewer?.staffId ?? null, viewer, via: 'api' };
  };
  const find = (c: Context, id: number) => campaignFor(deps.db, actor(c).viewer, `#${id}`);

  async function view(row: CampaignRow) {
    const progress = await campaignProgress(deps.db, row);
    return {
      id: row.id,
      name: row.name,
      segment: { id: row.segment_id, name: progress.segmentName },
      text: row.text,
      link: row.link_url ? { title: row.link_title ?? row.link_url, url: row.link_url } : null,
      hasImage: row.image !== null,
      status: row.status,
      holdoutPct: row.holdout_pct,
      windowDays: row.window_days,
      scheduledAt: isoOrNull(row.scheduled_at),
      startedAt: isoOrNull(row.started_at),
      finishedAt: isoOrNull(row.finished_at),
      createdAt: isoTime(row.created_at),
      recipients: progress.recipients,
      massSends: progress.massSends.map((t) => ({ ...t, confirmedAt: isoOrNull(t.confirmedAt) })),
    };
  }

  /** The campaign after a state change, or why it was refused. */
  const answer = async (c: Context, outcome: TransitionOutcome) =>
    outcome.ok ? c.json(await view(outcome.campaign), 200) : c.json({ error: outcome.error }, outcome.status);

  app.openapi(listRoute, async (c) => {
    const rows = await listCampaigns(deps.db, actor(c).viewer);
    const items = [];
    for (const r of rows) items.push(await view(r));
    return c.json({ items }, 200);
  });

  app.openapi(createDef, async (c) => {
    const b = c.req.valid('json');
    const outcome = await createCampaign(
      core,
      {
        name: b.name,
        segment: String(b.segment),
        text: b.text,
        ...(b.link ? { link: b.link } : {}),
        ...(b.image ? { image: b.image } : {}),
        ...(b.holdoutPct !== undefined ? { holdoutPct: b.holdoutPct } : {}),
        ...(b.windowDays !== undefined ? { windowDays: b.windowDays } : {}),
        ...(b.scheduledAt ? { scheduledAt: Date.parse(b.scheduledAt) } : {}),
      },
      viewerIn(requestViewer(c))?.staffId ?? null,
      actor(c),
    );
    if (!outcome.ok)
      return c.json(
        { error: outcome.error, ...(outcome.field ? { field: outcome.field } : {}) },
        outcome.status,
      );
    return c.json(await view(outcome.campaign), 201);
  });

  app.openapi(getRoute, async (c) => {
    const row = await find(c, c.req.valid('param').id);
    if (!row) return c.json({ error: 'no such campaign' }, 404);
    return c.json(await view(row), 200);
  });

  app.openapi(previewRoute, async (c) => {
    const row = await find(c, c.req.valid('param').id);
    if (!row) return c.json({ error: 'no such campaign' }, 404);
    const preview = await previewCampaign(core, row, core.clock.now());
    return c.json({ campaign: row.id, ...preview }, 200);
  });

  app.openapi(scheduleRoute, async (c) => {
    const at = (c.req.valid('json') as { at?: string }).at;
    return answer(
      c,
      await scheduleCampaign(core, c.req.valid('param').id, at ? Date.parse(at) : null, actor(c)),
    );
  });
  app.openapi(stateRoute('pause', 'Pause: no new batches (messages already queued still go)'), async (c) =>
    answer(c, await pauseCampaign(core, c.req.valid('param').id, actor(c))),
  );
  app.openapi(stateRoute('resume', 'Resume a paused campaign'), async (c) =>
    answer(c, await resumeCampaign(core, c.req.valid('param').id, actor(c))),
  );
  app.openapi(stateRoute('cancel', 'Cancel: nobody still pending gets it'), async (c) =>
    answer(c, await cancelCampaign(core, c.req.valid('param').id, actor(c))),
  );
  return app;
}
