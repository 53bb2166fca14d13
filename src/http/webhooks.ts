import { Hono } from 'hono';
import type { PlatformAdapter } from '../core/ports/adapter.ts';
import { type Clock, type Logger, systemClock } from '../core/ports/clock.ts';
import type { InboxWriter } from '../queue/inbox-writer.ts';
import type { MetricsPort } from './metrics.ts';
import { readBodyWithin } from './read-body.ts';
import { requestSource, SourceLogLimiter } from './source-log-limiter.ts';

/** Platforms send small JSON/XML documents; anything larger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface WebhookDeps {
  inbox: InboxWriter;
  logger: Logger;
  adapters: ReadonlyMap<string, PlatformAdapter>;
  /** Called after new deliveries are stored, to start processing them (after the answer). */
  onDelivery: () => void;
  /** Told the platform, status and duration of every answered webhook request. */
  metrics?: MetricsPort;
  /** Times the log limits of unauthenticated requests; the system clock when absent. */
  clock?: Clock;
}

/**
 * `/webhooks/:platform`: verify → store in the inbox (deduplicated) → answer. Nothing else happens before the answer,
 * so it stays inside every platform's deadline; a failed store answers 503 and the platform delivers again.
 */
export function webhookRoutes(deps: WebhookDeps): Hono {
  const app = new Hono();
  const clock = deps.clock ?? systemClock;
  const limiter = new SourceLogLimiter(() => clock.now());
  // Requests nobody vouched for are the sender's to multiply: info, at most a line per source a minute, counted.
  const unvouched = (source: string, fields: object, message: string) => {
    const admitted = limiter.admit(source);
    if (admitted) deps.logger.info({ ...fields, source, ...admitted }, message);
  };
  if (deps.metrics) {
    const metrics = deps.metrics;
    app.use('/:platform', async (c, next) => {
      const started = performance.now();
      await next();
      // Only known platforms become labels: a scan of random paths must not grow the metrics without bound.
      const platform = receiverOf(deps.adapters, c.req.param('platform'))
        ? c.req.param('platform')
        : 'unknown';
      metrics.observeWebhook(platform, c.res.status, (performance.now() - started) / 1000);
    });
  }
  app.all('/:platform', async (c) => {
    const receiver = receiverOf(deps.adapters, c.req.param('platform'));
    if (!receiver) return c.text('not found', 404);
    const { adapter } = receiver;
    // Read now: once the sender has gone, its socket no longer knows the address.
    const source = requestSource(c);
    let body: string | null;
    try {
      body = await readBodyWithin(c.req.raw, MAX_WEBHOOK_BYTES);
    } catch {
      // The sender went away mid-body (or sent less than it declared): not a failure of ours, and nobody to answer.
      unvouched(source, { platform: adapter.platform }, 'webhook request aborted');
      return c.text('bad request', 400, { connection: 'close' });
    }
    // Closing the connection stops the client from pushing the rest of an oversized body down a reused socket.
    if (body === null) return c.text('payload too large', 413, { connection: 'close' });
    const verdict = await receiver.verify({
      method: c.req.method,
      url: c.req.url,
      headers: c.req.raw.headers,
      body,
    });
    if (verdict.kind === 'reject') {
      unvouched(
        source,
        { platform: adapter.platform, status: verdict.status, reason: verdict.reason },
        'webhook rejected',
      );
      return c.text(statusText[verdict.status], verdict.status);
    }
    if (verdict.kind === 'respond') return c.body(verdict.body, 200, { 'content-type': verdict.contentType });
    let stored: boolean[];
    try {
      stored = await Promise.all(
        verdict.deliveries.map((d) =>
          deps.inbox.put({ platform: adapter.platform, workspace: adapter.workspace, ...d }),
        ),
      );
    } catch (error) {
      deps.logger.error(
        { platform: adapter.platform, error: error instanceof Error ? error.message : String(error) },
        'inbox write failed; asking the platform to retry',
      );
      return c.text('temporarily unavailable', 503);
    }
    if (stored.includes(true)) deps.onDelivery();
    return verdict.body === undefined
      ? c.body(null, 200)
      : c.body(verdict.body, 200, { 'content-type': verdict.contentType ?? 'text/plain' });
  });
  return app;
}

/** What a push to an archive's door is named after: `/webhooks/<platform>-archive`. */
const ARCHIVE_SUFFIX = '-archive';

/**
 * Who takes requests to `/webhooks/<name>`: the platform's adapter, or at `<platform>-archive` its conversation archive
 * (stored as the platform's deliveries). Null when neither is configured.
 */
function receiverOf(
  adapters: ReadonlyMap<string, PlatformAdapter>,
  name: string,
): { adapter: PlatformAdapter; verify: PlatformAdapter['verify'] } | null {
  const adapter = adapters.get(name);
  if (adapter) return { adapter, verify: (request) => adapter.verify(request) };
  if (!name.endsWith(ARCHIVE_SUFFIX)) return null;
  const owner = adapters.get(name.slice(0, -ARCHIVE_SUFFIX.length));
  const archive = owner?.archive;
  return owner && archive ? { adapter: owner, verify: (request) => archive.verify(request) } : null;
}

const statusText = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  405: 'method not allowed',
} as const;
