// The few workerd test APIs this suite uses. The package's own declarations need @cloudflare/workers-types as
// globals, which clash with the Node and DOM types the rest of the project compiles against.
declare module 'cloudflare:test' {
  import type { WorkerEnv } from '../../src/worker/boot.ts';
  import type { ExecutionContext, ScheduledController } from '../../src/worker/d1.ts';
  export const env: WorkerEnv & { DB: import('./d1-raw.ts').RawD1 };
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: {
    scheduledTime?: number;
    cron?: string;
  }): ScheduledController;
}

declare module '*?raw' {
  const text: string;
  export default text;
}
