import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Actor } from '../core/kernel/permissions/actor.ts';
import { actorMayUnmask } from '../core/kernel/permissions/contacts-shown.ts';
import { maskTextFor } from '../core/kernel/permissions/mask.ts';
import { closeDateOf, closeDateStart } from '../core/kernel/time/calendar-day.ts';
import { createDeal } from '../core/records/deals/create.ts';
import type { Deal } from '../core/records/deals/deal-rows.ts';
import { listDeals } from '../core/records/deals/list.ts';
import { dealPipeline } from '../core/records/deals/pipeline.ts';
import { updateDeal } from '../core/records/deals/update.ts';
import type { ApiDeps } from './api.ts';
import { dealSchemas, minorOf } from './api-deal-schemas.ts';
import { writeKey } from './api-requests.ts';
import {
  apiRouter,
  errorAnswer,
  IdempotencyHeaders,
  idSchema,
  isoOrNull,
  isoTime,
  jsonAnswer,
  jsonBody,
} from './api-schemas.ts';
import { requestActor, requestViewer, viewerIn } from './api-viewer.ts';

/** Deals (opportunities) and the weighted forecast: `/deal` and `/pipeline` for integrations. */
export function dealRoutes(deps: ApiDeps) {
  const app = apiRouter();
  const tz = deps.core.org.timeZone;
  const s = dealSchemas(deps.core.org.dealStages.map((x) => x.key) as [string, ...string[]]);
  const noDeal = errorAnswer('No such deal within the token’s scope');

  const listRoute = createRoute({
    method: 'get',
    path: '/deals',
    tags: ['deals'],
    summary:
      'Deals of the customers in the token’s scope matching every filter, newest first, a page at a time',
    request: { query: s.DealQuery },
    responses: {
      200: jsonAnswer('A page of deals', s.DealPage),
      400: errorAnswer('A bad query'),
    },
  });

  const createRouteDef = createRoute({
    method: 'post',
    path: '/deals',
    tags: ['deals'],
    summary: 'Open a deal on a customer (next to any open ones), as `/deal <customer> new` does in chat',
    request: { headers: IdempotencyHeaders, body: jsonBody(s.NewDeal) },
    responses: {
      201: jsonAnswer('The deal (the same one again for a retry with the same Idempotency-Key)', s.Deal),
      400: errorAnswer('A bad body, naming the field'),
      403: errorAnswer('The token may not give the deal this owner'),
      404: errorAnswer('No such customer within the token’s scope'),
      422: errorAnswer('The Idempotency-Key was already used for another request'),
    },
  });

  const patchRoute = createRoute({
    method: 'patch',
    path: '/deals/{id}',
    tags: ['deals'],
    summary: 'Change a deal’s title, amount, currency, stage (a move on the board), owner or close date',
    request: {
      params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 7 }) }),
      body: jsonBody(s.DealPatch),
    },
    responses: {
      200: jsonAnswer('The deal as it is now', s.Deal),
      400: errorAnswer('A bad body, naming the field'),
      403: errorAnswer('The token may not give the deal this owner'),
      404: noDeal,
    },
  });

  const pipelineRoute = createRoute({
    method: 'get',
    path: '/deals/pipeline',
    tags: ['deals'],
    summary: 'The weighted forecast of the open deals in the token’s scope, per currency and stage',
    request: { query: s.PipelineQuery },
    responses: {
      200: jsonAnswer('The forecast', s.Pipeline),
      400: errorAnswer('A bad query'),
    },
  });

  app.openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const actor = requestActor(c);
    const page = await listDeals(deps.core, actor, {
      limit: q.limit,
      status: q.status,
      ...(q.stage ? { stage: q.stage } : {}),
      ...(q.owner !== undefined ? { owner: q.owner } : {}),
      ...(q.customer !== undefined ? { customerId: q.customer } : {}),
      ...(q.closingBefore ? { closingBefore: closeDateStart(q.closingBefore, tz) ?? 0 } : {}),
      ...(q.cursor ? { after: Number(q.cursor) } : {}),
    });
    return c.json(
      {
        items: page.items.map((d) => shown(actor, d)),
        nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
      },
      200,
    );
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid('json');
    const actor = requestActor(c);
    const made = await createDeal(
      deps.core,
      actor,
      {
        customerId: body.customer,
        amountMinor: minorOf(body.amount),
        stage: body.stage,
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.currency !== undefined ? { currency: body.currency } : {}),
        ...(body.owner !== undefined ? { ownerStaffId: body.owner } : {}),
        ...(body.closeDate ? { expectedCloseAt: closeDateStart(body.closeDate, tz) } : {}),
      },
      writeKey('deal', c.req.valid('header')['Idempotency-Key']),
    );
    if (made.kind === 'created') {
      if (!made.created && made.deal.customerId !== body.customer) return keyReused(c);
      return c.json(shown(actor, made.deal), 201);
    }
    if (made.kind === 'key_reused') return keyReused(c);
    if (made.kind === 'no_customer') return c.json({ error: 'no such customer', field: 'customer' }, 404);
    if (made.kind === 'owner_out_of_reach' || made.kind === 'owner_inactive')
      return ownerRefused(c, made.kind);
    return c.json({ error: `invalid ${fieldOf(made.kind)}`, field: fieldOf(made.kind) }, 400);
  });

  app.openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const actor = requestActor(c);
    const outcome = await updateDeal(
      deps.core,
      actor,
      id,
      {
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.amount !== undefined ? { amountMinor: minorOf(body.amount) } : {}),
        ...(body.currency !== undefined ? { currency: body.currency } : {}),
        ...(body.stage !== undefined ? { stage: body.stage } : {}),
        ...(body.owner !== undefined ? { ownerStaffId: body.owner } : {}),
        ...(body.closeDate !== undefined
          ? { expectedCloseAt: body.closeDate === null ? null : closeDateStart(body.closeDate, tz) }
          : {}),
      },
      writeKey('deal-patch', undefined),
    );
    if (outcome.kind === 'updated') return c.json(shown(actor, outcome.deal), 200);
    if (outcome.kind === 'not_found') return c.json({ error: 'no such deal' }, 404);
    if (outcome.kind === 'owner_out_of_reach' || outcome.kind === 'owner_inactive')
      return ownerRefused(c, outcome.kind);
    return c.json({ error: `invalid ${fieldOf(outcome.kind)}`, field: fieldOf(outcome.kind) }, 400);
  });

  app.openapi(pipelineRoute, async (c) => {
    const q = c.req.valid('query');
    const forecast = await dealPipeline(deps.core, requestActor(c), {
      ...(q.owner !== undefined ? { owner: q.owner } : {}),
      ...(q.closingBefore ? { closingBefore: closeDateStart(q.closingBefore, tz) ?? 0 } : {}),
    });
    const major = (minor: number) => minor / 100;
    return c.json(
      {
        items: forecast.map((f) => ({
          currency: f.currency,
          count: f.count,
          amount: major(f.amountMinor),
          weighted: major(f.weightedMinor),
          stages: f.stages.map((x) => ({
            stage: x.stage,
            probability: x.probability,
            count: x.count,
            amount: major(x.amountMinor),
            weighted: major(x.weightedMinor),
          })),
        })),
      },
      200,
    );
  });

  /** A deal as the API shows it: titles are staff-written and masked like notes for tokens that may not unmask. */
  function shown(actor: Actor, d: Deal): z.infer<typeof s.Deal> {
    return {
      id: d.id,
      customer: { id: d.customerId, name: d.customerName },
      title: maskTextFor(actorMayUnmask(actor), d.title).text,
      amount: d.amountMinor / 100,
      currency: d.currency,
      stage: d.stage,
      probability: d.probability,
      owner: d.owner,
      closeDate: d.expectedCloseAt === null ? null : closeDateOf(d.expectedCloseAt, tz),
      status: d.closedAt === null ? 'open' : d.probability === 100 ? 'won' : 'lost',
      createdAt: isoTime(d.createdAt),
      updatedAt: isoTime(d.updatedAt),
      closedAt: isoOrNull(d.closedAt),
    };
  }

  return app;
}

const fieldOf = (kind: 'unknown_stage' | 'bad_amount' | 'bad_currency' | 'bad_title'): string =>
  ({ unknown_stage: 'stage', bad_amount: 'amount', bad_currency: 'currency', bad_title: 'title' })[kind];

const keyReused = (c: Context) =>
  c.json({ error: 'this Idempotency-Key was used for another request', field: 'Idempotency-Key' }, 422);

/** The answer to a refused owner, as the customer writes word it. */
function ownerRefused(c: Context, why: 'owner_out_of_reach' | 'owner_inactive') {
  if (why === 'owner_inactive')
    return c.json({ error: 'owner is not an active staff member', field: 'owner' }, 400);
  const rep = viewerIn(requestViewer(c))?.role === 'rep';
  const error = rep
    ? 'a rep may only own deals themselves'
    : 'the owner must be staff the token’s staff member manages';
  return c.json({ error, field: 'owner' }, 403);
}
