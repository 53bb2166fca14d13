import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { databaseWriteProblem, pingDatabase } from '../../db/write-check.ts';
import { type ApiDeps, apiRoutes } from './api.ts';
import { fileLinkRoutes } from './api-files.ts';
import { type MetricsPort, metricsHandler } from './metrics.ts';
import { type WebhookDeps, webhookRoutes } from './webhooks.ts';

export type AppDeps = WebhookDeps &
  ApiDeps & {
    db: Kysely<Database>;
    /** Where metrics go (Node: prom-client); without it, /metrics answers 404. */
    metrics?: MetricsPort;
    /** The bearer token /metrics asks for; unset: /metrics answers 404. */
    metricsToken?: string | null;
    /** The playground's routes, where it is on (PLAYGROUND, Node only); absent: /playground answers 404. */
    playground?: Hono;
    /** The web app's server side (src/web), where PUBLIC_URL is set; absent: /app answers 404. */
    webApp?: Hono;
  };

/** The HTTP surface, shared by every runtime (Node server, Cloudflare Worker): Web Request in, Response out. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    try {
      await pingDatabase(deps.db);
    } catch {
      return c.json({ status: 'database unavailable' }, 503);
    }
    // A database that answers but takes no writes (a file made read-only after start) is not healthy either.
    if (await databaseWriteProblem(deps.db)) return c.json({ status: 'database read-only' }, 503);
    return c.json({ status: 'ok' });
  });
  // Someone opening the service's address sees that it runs and where to go, not a bare 404.
  app.get('/', (c) => c.text(homeText(deps.playground !== undefined)));
  app.get('/metrics', metricsHandler(deps.metrics, deps.metricsToken));
  app.route('/webhooks', webhookRoutes({ ...deps, clock: deps.core.clock }));
  app.route('/api', apiRoutes(deps));
  app.route('/files', fileLinkRoutes(deps));
  if (deps.playground) app.route('/playground', deps.playground);
  if (deps.webApp) app.route('/app', deps.webApp);
  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? c.json({ error: 'not found' }, 404) : c.text('not found', 404),
  );
  app.onError((error, c) => {
    deps.logger.error({ path: c.req.path, error: error.message }, 'request failed');
    return c.text('internal error', 500);
  });
  return app;
}

/** What `GET /` says: the service runs, and its public doors. Nothing about its configuration or data. */
function homeText(playground: boolean): string {
  return [
    'Liaison is running: a CRM that lives in WeCom, Feishu/Lark and Telegram.',
    '',
    'GET  /healthz      health (200 when the database answers and takes writes)',
    'GET  /api/docs     the API (OpenAPI 3.1; calls need API_TOKEN)',
    'POST /webhooks/…   where the chat platforms deliver',
    ...(playground ? ['GET  /playground   try it in a browser (this computer only)'] : []),
    '',
  ].join('\n');
}
