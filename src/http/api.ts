import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../db/schema.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { secretMatcher } from '../lib/safe-equal.ts';
import { campaignReportRoutes } from './api-campaign-reports.ts';
import { campaignRoutes } from './api-campaigns.ts';
import { channelRoutes } from './api-channels.ts';
import { customerWriteRoutes } from './api-customer-writes.ts';
import { customerReadRoutes } from './api-customers.ts';
import { dealRoutes } from './api-deals.ts';
import { digestRoutes } from './api-digests.ts';
import { duplicateRoutes } from './api-duplicates.ts';
import { messageFileRoutes } from './api-files.ts';
import { mergeRoutes } from './api-merges.ts';
import { messageRoutes } from './api-messages.ts';
import { noteAndTagRoutes } from './api-notes-tags.ts';
import { privacyApiRoutes } from './api-privacy.ts';
import { quickReplyRoutes } from './api-quick-replies.ts';
import { reportRoutes } from './api-reports.ts';
import { type ApiEnv, errorAnswer, invalidRequest, jsonAnswer } from './api-schemas.ts';
import { segmentRoutes } from './api-segments.ts';
import { sopRoutes } from './api-sops.ts';
import { staffRoutes } from './api-staff.ts';
import { syncRoutes } from './api-sync.ts';
import { apiViewer } from './api-viewer.ts';
import { apiDocument } from './openapi.ts';
import { readBodyWithin } from './read-body.ts';

export interface ApiDeps {
  db: Kysely<Database>;
  /** The core, for the writes the API offers (customers, notes, tags, handover). */
  core: CoreDeps;
  /** Called after sends or platform actions were queued, to wake the outbox. */
  onQueued: () => void;
  /** No token configured: the API does not exist (404), rather than being open. */
  apiToken: string | null;
  /** The staff member whose role and scope the token has; null: the token acts as an admin. */
  apiTokenStaff: { platform: Platform; userId: string } | null;
}

/** API requests are small JSON documents; anything larger is refused before it is read. */
export const MAX_API_BODY_BYTES = 64 * 1024;
/** A campaign or a message to a customer may carry a picture (≤ 2 MB, about 2.7 MB as base64). */
export const MAX_PICTURE_BODY_BYTES = 3 * 1024 * 1024;

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  tags: ['meta'],
  summary: 'This OpenAPI document (no token needed: it describes the API, not its data)',
  security: [],
  responses: {
    200: jsonAnswer('OpenAPI 3.1', z.looseObject({ openapi: z.string() })),
    404: errorAnswer('The API is off (no API_TOKEN)'),
  },
});

/**
 * The integration API, behind `Authorization: Bearer $API_TOKEN`, described by the OpenAPI document at `/api/docs`
 * (generated from the route schemas below). Times are ISO 8601 strings.
 */
export function apiRoutes(deps: ApiDeps): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: invalidRequest });
  const tokenMatches = deps.apiToken ? secretMatcher(deps.apiToken) : null;
  app.use('*', async (c, next) => {
    if (!tokenMatches) return c.json({ error: 'not found' }, 404);
    await next();
  });
  // Before the token check: the document is public, the data is not.
  app.openapi(docsRoute, (c) => c.json(apiDocument(app), 200));
  app.use('*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? '';
    if (!tokenMatches?.(token)) {
      return c.json({ error: 'unauthorized' }, 401, { 'www-authenticate': 'Bearer' });
    }
    const viewer = await apiViewer(deps.core, deps.apiTokenStaff);
    if (!viewer) return c.json({ error: 'the staff member API_TOKEN_STAFF names is not active staff' }, 403);
    c.set('apiViewer', viewer);
    await next();
  });
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const limit =
      c.req.method === 'POST' && /\/api\/(campaigns|customers\/\d+\/messages)\/?$/.test(c.req.path)
        ? MAX_PICTURE_BODY_BYTES
        : MAX_API_BODY_BYTES;
    const body = await readBodyWithin(c.req.raw, limit);
    // Closing the connection stops the client from pushing the rest of an oversized body down a reused socket.
    if (body === null)
      return c.json({ error: `the body is over ${limit} bytes` }, 413, { connection: 'close' });
    c.req.raw = new Request(c.req.raw, { body });
    await next();
  });

  app.route('/', customerReadRoutes(deps));
  app.route('/', customerWriteRoutes(deps));
  app.route('/', duplicateRoutes(deps));
  app.route('/', mergeRoutes(deps));
  app.route('/', noteAndTagRoutes(deps));
  app.route('/', dealRoutes(deps));
  app.route('/', messageRoutes(deps));
  app.route('/', messageFileRoutes(deps));
  app.route('/', staffRoutes(deps));
  app.route('/', privacyApiRoutes(deps));
  app.route('/digests', digestRoutes(deps));
  app.route('/reports', reportRoutes(deps));
  app.route('/segments', segmentRoutes(deps));
  app.route('/channels', channelRoutes(deps));
  app.route('/campaigns', campaignRoutes(deps));
  app.route('/', campaignReportRoutes(deps));
  app.route('/sops', sopRoutes(deps));
  app.route('/quick-replies', quickReplyRoutes(deps));
  app.route('/sync', syncRoutes(deps));
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The API_TOKEN; with API_TOKEN_STAFF set it has that staff member’s role and data scope.',
  });
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((error, c) => {
    // Malformed JSON (400) and an unsupported content type (415) come from the validators as HTTP exceptions.
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    deps.core.logger.error({ path: c.req.path, error: error.message }, 'API request failed');
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}
