import { createRoute, z } from '@hono/zod-openapi';
import { readSyncJob, type SyncJobView, startSync } from '../core/inbound/sync/jobs.ts';
import type { ApiDeps } from './api.ts';
import {
  apiRouter,
  errorAnswer,
  idSchema,
  isoOrNull,
  isoTime,
  jsonAnswer,
  PlatformSchema,
} from './api-schemas.ts';
import { requestActor } from './api-viewer.ts';

const Count = z.number().int();

const SyncJob = z
  .object({
    id: z.number().int(),
    platform: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    phase: z.enum(['members', 'tags', 'contacts', 'apply', 'prune', 'groups', 'done']).openapi({
      description: 'Members, tag catalogue, reading contacts, storing them, lost relations, groups.',
    }),
    progress: z
      .record(z.string(), z.object({ done: Count, total: Count.optional() }))
      .openapi({ description: 'Per phase: how far it got, and the total where it is known.' }),
    summary: z
      .object({
        membersSeen: Count,
        membersAdded: Count,
        contactsSeen: Count.openapi({ description: '(customer, follower) pairs read.' }),
        customersCreated: Count,
        customersUpdated: Count,
        relationsLost: Count,
        groupsSeen: Count,
        groupsAdded: Count,
        groupMembersJoined: Count,
        groupMembersLeft: Count,
      })
      .openapi({ description: 'What changed; a second run over an unchanged platform changes nothing.' }),
    unchanged: z.boolean().openapi({ description: 'Nothing changed beyond what was read.' }),
    attempts: Count.openapi({ description: 'Refusals in a row (rate limits), retried with backoff.' }),
    retryAt: z.string().nullable().openapi({ format: 'date-time' }),
    lastError: z.string().nullable(),
    requestedVia: z.string(),
    createdAt: z.string().openapi({ format: 'date-time' }),
    finishedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('SyncJob');

const startRoute = createRoute({
  method: 'post',
  path: '/{platform}',
  tags: ['operations'],
  summary: "Starts a full sync of a platform's contact book (admin tokens)",
  description:
    'Members, every customer with the members who hold them (remarks, remark phones, corp tags) and customer ' +
    'groups with their members, stored as contact events store them. Runs in the background, page by page, ' +
    'resumable after a crash; one at a time per platform (asking again answers the running one).',
  request: {
    params: z.object({ platform: PlatformSchema.openapi({ param: { name: 'platform', in: 'path' } }) }),
  },
  responses: {
    202: jsonAnswer('The job, queued (or the one already running)', SyncJob),
    400: errorAnswer('An unknown platform'),
    403: errorAnswer('Not an admin token'),
    409: errorAnswer('The platform is not configured, or its directory cannot be read in bulk'),
  },
});

const readRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['operations'],
  summary: 'A sync job: its phase, progress and what it changed (admin tokens)',
  request: { params: z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 1 }) }) },
  responses: {
    200: jsonAnswer('The job', SyncJob),
    400: errorAnswer('A bad id'),
    403: errorAnswer('Not an admin token'),
    404: errorAnswer('No such job'),
  },
});

const shown = (j: SyncJobView) => ({
  ...j,
  retryAt: isoOrNull(j.retryAt),
  createdAt: isoTime(j.createdAt),
  finishedAt: isoOrNull(j.finishedAt),
});

/** Directory syncs: start one, follow it. */
export function syncRoutes(deps: ApiDeps) {
  const app = apiRouter();

  app.openapi(startRoute, async (c) => {
    const outcome = await startSync(deps.core, requestActor(c), c.req.valid('param').platform);
    if ('refused' in outcome) {
      if (outcome.refused === 'not_allowed') return c.json({ error: 'syncs are for admin tokens' }, 403);
      return c.json({ error: 'that platform is off, or its directory cannot be read in bulk' }, 409);
    }
    return c.json(shown(outcome.job), 202);
  });

  app.openapi(readRoute, async (c) => {
    const job = await readSyncJob(deps.core, requestActor(c), c.req.valid('param').id);
    if (job === 'not_allowed') return c.json({ error: 'syncs are for admin tokens' }, 403);
    if (!job) return c.json({ error: 'no such sync job' }, 404);
    return c.json(shown(job), 200);
  });

  return app;
}
