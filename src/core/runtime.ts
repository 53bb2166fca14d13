import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { PlatformAdapter } from './adapter.ts';

/** The time, injected so schedules, leases and SLAs are testable. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Structured logging (pino's call shape). Never pass secrets, message text or customer PII. */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Everything a core use case may touch. Runtime entries build one and pass it down. */
export interface CoreDeps {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  /** Enabled platform adapters, for the extras the core may ask of a platform. */
  adapters: ReadonlyMap<string, PlatformAdapter>;
}
