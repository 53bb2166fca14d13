/**
 * The slice of Cloudflare's D1 binding Liaison uses. Declared here rather than taken from @cloudflare/workers-types,
 * whose global declarations clash with the Node and DOM types the rest of the project compiles against.
 */
export interface D1Database {
  prepare(query: string): D1PreparedStatement;
  /** Runs the statements as one SQL transaction: all land, or none. */
  batch(statements: D1PreparedStatement[]): Promise<unknown[]>;
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
}

/** What the Workers runtime passes as the third argument of `fetch` and `scheduled`. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
  props: unknown;
}

export interface ScheduledController {
  readonly cron: string;
  readonly scheduledTime: number;
}
