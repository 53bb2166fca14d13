import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PlatformAdapter } from '../core/adapter.ts';
import type { Clock, Logger } from '../core/runtime.ts';
import { putDelivery } from '../queue/inbox.ts';

/** Platforms send small JSON/XML documents; anything larger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface WebhookDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  adapters: ReadonlyMap<string, PlatformAdapter>;
  /** Called after new deliveries are stored, to start processing them (after the answer). */
  onDelivery: () => void;
}

/**
 * `/webhooks/:platform`: verify → store in the inbox (deduplicated) → answer. Nothing else happens before the answer,
 * so it stays inside every platform's deadline; a failed store answers 503 and the platform delivers again.
 */
export function webhookRoutes(deps: WebhookDeps): Hono {
  const app = new Hono();
  app.all(
    '/:platform',
    // Closing the connection stops the client from pushing the rest of an oversized body down a reused socket.
    bodyLimit({
      maxSize: MAX_WEBHOOK_BYTES,
      onError: (c) => c.text('payload too large', 413, { connection: 'close' }),
    }),
    async (c) => {
      const adapter = deps.adapters.get(c.req.param('platform'));
      if (!adapter) return c.text('not found', 404);
      const verdict = await adapter.verify({
        method: c.req.method,
        url: c.req.url,
        headers: c.req.raw.headers,
        body: await c.req.text(),
      });
      if (verdict.kind === 'reject') {
        deps.logger.info(
          { platform: adapter.platform, status: verdict.status, reason: verdict.reason },
          'webhook rejected',
        );
        return c.text(statusText[verdict.status], verdict.status);
      }
      if (verdict.kind === 'respond')
        return c.body(verdict.body, 200, { 'content-type': verdict.contentType });
      let stored = 0;
      try {
        const now = deps.clock.now();
        for (const d of verdict.deliveries) {
          const isNew = await putDelivery(
            deps.db,
            { platform: adapter.platform, workspace: adapter.workspace, ...d },
            now,
          );
          if (isNew) stored++;
        }
      } catch (error) {
        deps.logger.error(
          { platform: adapter.platform, error: error instanceof Error ? error.message : String(error) },
          'inbox write failed; asking the platform to retry',
        );
        return c.text('temporarily unavailable', 503);
      }
      if (stored > 0) deps.onDelivery();
      return verdict.body === undefined
        ? c.body(null, 200)
        : c.body(verdict.body, 200, { 'content-type': verdict.contentType ?? 'text/plain' });
    },
  );
  return app;
}

const statusText = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  405: 'method not allowed',
} as const;
