import { bootWorker, type WorkerEnv } from '../worker/boot.ts';
import type { ExecutionContext, ScheduledController } from '../worker/d1.ts';

/**
 * Liaison on Cloudflare Workers: the same Hono app on D1. Webhooks are stored and answered first; the processing
 * runs after the answer (`waitUntil`), and the cron trigger sweeps whatever is left and runs the timed work.
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let worker: Awaited<ReturnType<typeof bootWorker>>;
    try {
      worker = await bootWorker(env);
    } catch (error) {
      // Bad configuration or a failed migration: say so in the log; the platform retries a 503 later.
      console.error(JSON.stringify({ level: 'error', msg: 'worker cannot start', error: String(error) }));
      return new Response('temporarily unavailable', { status: 503 });
    }
    const response = await worker.liaison.app.fetch(request, env, ctx);
    if (request.method !== 'GET' && response.ok && startsWork(new URL(request.url).pathname)) {
      ctx.waitUntil(worker.runtime.drain());
    }
    return response;
  },

  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const worker = await bootWorker(env);
    ctx.waitUntil(worker.runtime.sweep());
  },
};

/** Webhook deliveries queue processing; API writes (tags, handover, digests) queue sends. */
const startsWork = (path: string) => path.startsWith('/webhooks/') || path.startsWith('/api/');
