import type { Context } from 'hono';
import { secretMatcher } from '../lib/safe-equal.ts';

/**
 * Where the HTTP layer reports what it serves, and asks for the metrics page. A port so that this layer, shared with
 * Cloudflare Workers, never loads a metrics library: the Node runtime provides one (src/node/metrics.ts); a runtime
 * without one has no /metrics (404).
 */
export interface MetricsPort {
  /** One answered webhook request: the platform (a known one, else `unknown`), the HTTP status, the time taken. */
  observeWebhook(platform: string, status: number, seconds: number): void;
  /** The metrics page in the Prometheus text format, with the database-derived gauges read now. */
  render(): Promise<string>;
  /** The page's content type (the Prometheus text format's). */
  readonly contentType: string;
}

/**
 * `GET /metrics`, behind `Authorization: Bearer $METRICS_TOKEN` (compared in constant time). A bearer token rather
 * than a loopback check: behind a reverse proxy every request looks local. Without a token or a port: 404.
 */
export function metricsHandler(metrics: MetricsPort | undefined, token: string | null | undefined) {
  const tokenMatches = metrics && token ? secretMatcher(token) : null;
  return async (c: Context) => {
    if (!metrics || !tokenMatches) return c.text('not found', 404);
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    if (!tokenMatches(given)) return c.text('unauthorized', 401, { 'www-authenticate': 'Bearer' });
    return c.body(await metrics.render(), 200, { 'content-type': metrics.contentType });
  };
}
