import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { customerScope } from '../core/kernel/permissions/scope.ts';
import { listChannelCodes } from '../core/marketing/attribution/listing.ts';
import { campaignFor } from '../core/marketing/campaigns/campaigns.ts';
import {
  type CampaignReport,
  type CustomerCondition,
  campaignReport,
} from '../core/reading/evaluation/campaign-report.ts';
import { type SourceFigures, sourceReport } from '../core/reading/evaluation/source-report.ts';
import type { ApiDeps } from './api.ts';
import { apiRouter, errorAnswer, idSchema, isoOrNull, isoTime, jsonAnswer } from './api-schemas.ts';
import { requestViewer, viewerIn } from './api-viewer.ts';

const DAY = 86_400_000;
const MAX_SPAN = 366 * DAY;

const Params = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) });
const instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .optional()
  .openapi({ description: 'An ISO date or time.', example: '2026-03-01' });

const Group = z.object({
  customers: z.number().int(),
  replied: z.number().int(),
  replyRate: z.number().openapi({ description: 'A share, 0–1.' }),
  stageMoved: z.number().int(),
  dealsWon: z.number().int(),
  wonAmount: z.number().openapi({ description: 'In major units (yuan).' }),
  wonCustomers: z.number().int(),
  wonRate: z.number().openapi({ description: 'Customers with a won deal, as a share 0–1.' }),
});

const Report = z
  .object({
    campaign: z.object({
      id: z.number().int(),
      name: z.string(),
      status: z.string(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      windowDays: z.number().int(),
      holdoutPct: z.number().int(),
    }),
    measuredAt: z.string(),
    daysMeasured: z.number().int(),
    segmentSize: z.number().int(),
    holdout: z.number().int(),
    skipped: z.object({ total: z.number().int(), byReason: z.record(z.string(), z.number().int()) }),
    pending: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    reached: Group.extend({ delivered: z.number().int() }),
    comparison: Group,
    difference: z.object({ replyRate: z.number(), wonRate: z.number() }),
  })
  .openapi('CampaignReport');

const Source = z.object({
  code: z.string(),
  name: z.string().nullable(),
  kind: z.string().nullable(),
  newCustomers: z.number().int(),
  replied: z.number().int().openapi({ description: 'Wrote within 14 days of arriving.' }),
  stageMoved: z.number().int(),
  dealsWon: z.number().int(),
  wonAmount: z.number(),
  wonCustomers: z.number().int(),
});

const managersOnly = errorAnswer('A rep token: reports are for managers and above');

const campaignRoute = createRoute({
  method: 'get',
  path: '/campaigns/{id}/report',
  tags: ['campaigns'],
  summary:
    'What a campaign achieved: reached, delivered, replied, stage moves and deals won vs the comparison group',
  request: { params: Params },
  responses: {
    200: jsonAnswer('The report, within the token’s data scope', Report),
    403: managersOnly,
    404: errorAnswer('No such campaign'),
  },
});

const channelRoute = createRoute({
  method: 'get',
  path: '/channels/{id}/report',
  tags: ['channels'],
  summary:
    'New customers who first came through a channel code in `from`..`to` (default 30 days), and what they did',
  request: { params: Params, query: z.object({ from: instant, to: instant }) },
  responses: {
    200: jsonAnswer(
      'The channel’s figures, within the token’s data scope',
      Source.extend({ id: z.number().int(), from: z.string(), to: z.string() }),
    ),
    400: errorAnswer('A bad period'),
    403: managersOnly,
    404: errorAnswer('No such channel code'),
  },
});

/** Effect reports (营销效果评估) per campaign and per channel code, for manager, director and admin tokens. */
export function campaignReportRoutes(deps: ApiDeps) {
  const app = apiRouter();
  const repRefused = (c: Context) =>
    viewerIn(requestViewer(c))?.role === 'rep'
      ? c.json({ error: 'reports are for managers and above' }, 403)
      : null;
  const scopeOf = (c: Context): CustomerCondition | null => {
    const viewer = viewerIn(requestViewer(c));
    return viewer ? customerScope(deps.db, viewer) : null;
  };

  app.openapi(campaignRoute, async (c) => {
    const refused = repRefused(c);
    if (refused) return refused;
    const { id } = c.req.valid('param');
    const found = await campaignFor(deps.db, viewerIn(requestViewer(c)) ?? null, `#${id}`);
    if (!found) return c.json({ error: 'no such campaign' }, 404);
    const report = await campaignReport(deps.core, id, deps.core.clock.now(), scopeOf(c));
    return c.json(reportShown(report), 200);
  });

  app.openapi(channelRoute, async (c) => {
    const refused = repRefused(c);
    if (refused) return refused;
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const viewer = viewerIn(requestViewer(c));
    const [channel] = await listChannelCodes(deps.db, { ids: [id], ...(viewer ? { viewer } : {}) });
    if (!channel) return c.json({ error: 'no such channel code' }, 404);
    const to = q.to ? Date.parse(q.to) : deps.core.clock.now();
    const from = q.from ? Date.parse(q.from) : to - 30 * DAY;
    if (!(from < to) || to - from > MAX_SPAN)
      return c.json({ error: 'from must be before to, at most a year apart', field: 'from' }, 400);
    const report = await sourceReport(deps.core, { from, to, code: channel.code, within: scopeOf(c) });
    const figures: SourceFigures = report.sources[0] ?? {
      code: channel.code,
      channelCodeId: channel.id,
      name: channel.name,
      kind: channel.kind,
      newCustomers: 0,
      replied: 0,
      stageMoved: 0,
      dealsWon: 0,
      wonAmountMinor: 0,
      wonCustomers: 0,
    };
    const { channelCodeId: _, wonAmountMinor, ...rest } = figures;
    return c.json(
      {
        id: channel.id,
        ...rest,
        name: channel.name,
        kind: channel.kind,
        wonAmount: wonAmountMinor / 100,
        from: isoTime(from),
        to: isoTime(to),
      },
      200,
    );
  });
  return app;
}

function reportShown(r: CampaignReport) {
  const group = <T extends CampaignReport['comparison']>({ wonAmountMinor, ...g }: T) => ({
    ...g,
    wonAmount: wonAmountMinor / 100,
  });
  return {
    ...r,
    campaign: {
      ...r.campaign,
      startedAt: isoOrNull(r.campaign.startedAt),
      finishedAt: isoOrNull(r.campaign.finishedAt),
    },
    measuredAt: isoTime(r.measuredAt),
    reached: group(r.reached),
    comparison: group(r.comparison),
  };
}
