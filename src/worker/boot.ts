import { Kysely } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import { isR2Bucket, r2Storage } from '../../adapters/storage/r2.ts';
import type { Database } from '../../db/schema.ts';
import { type Config, loadConfig } from '../config.ts';
import { type Clock, systemClock } from '../core/ports/clock.ts';
import { bringSearchIndexUpToDate } from '../core/records/customers/search-index.ts';
import { buildAdapters } from '../wiring/adapters.ts';
import { createLiaison, type Liaison } from '../wiring/liaison.ts';
import { fileKeepingFor } from '../wiring/storage.ts';
import type { D1Database } from './d1.ts';
import { batchingD1 } from './d1-batching.ts';
import { consoleLogger } from './logger.ts';
import { migrateD1 } from './migrate-d1.ts';
import { WORKER_SETTINGS, type WorkerRuntime, workerRuntime } from './work.ts';

/** The Worker's bindings: `DB` (D1), plus the same variable names as the Node service, from `[vars]` and secrets. */
export interface WorkerEnv {
  DB: D1Database;
  [name: string]: unknown;
}

export interface BootedWorker {
  config: Config;
  liaison: Liaison;
  runtime: WorkerRuntime;
}

/**
 * One Liaison per isolate (per D1 binding, so a test's fresh database gets a fresh instance): configuration from the
 * bindings, migrations applied on the first request, admins seeded. A failed boot is forgotten so the next request
 * tries again.
 */
const booted = new WeakMap<object, Promise<BootedWorker>>();

export function bootWorker(env: WorkerEnv, clock: Clock = systemClock): Promise<BootedWorker> {
  let boot = booted.get(env.DB);
  if (!boot) {
    boot = boot_(env, clock);
    booted.set(env.DB, boot);
    boot.catch(() => booted.delete(env.DB));
  }
  return boot;
}

async function boot_(env: WorkerEnv, clock: Clock): Promise<BootedWorker> {
  const vars: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === 'string') vars[name] = value;
  const config = loadConfig(vars);
  const logger = consoleLogger(config.logLevel);
  if (config.tagRulesFile)
    logger.warn({}, 'TAG_RULES_FILE is ignored on Workers (no file system): shipped rules apply');
  const applied = await migrateD1(env.DB);
  if (applied.length > 0) logger.info({ applied }, 'D1 migrations applied');
  const d1 = batchingD1(env.DB);
  const db = new Kysely<Database>({ dialect: new D1Dialect({ database: d1 as never }) });
  await bringSearchIndexUpToDate(db, clock.now());
  const bucket = env.ATTACHMENTS_BUCKET;
  const files = fileKeepingFor(
    config,
    isR2Bucket(bucket) ? r2Storage(bucket, 'ATTACHMENTS_BUCKET') : undefined,
  );
  if (!files)
    logger.warn(
      {},
      'attachments are not kept: set S3_* or bind an R2 bucket as ATTACHMENTS_BUCKET to keep them',
    );
  const liaison = createLiaison({
    ...(files ? { files } : {}),
    config,
    db,
    adapters: await buildAdapters(config, clock),
    clock,
    logger,
    instanceId: `worker-${crypto.randomUUID().slice(0, 8)}`,
    settings: WORKER_SETTINGS,
    // Each request is its own turn on Workers; there is no event loop to share with acknowledgements.
    pacer: () => async () => {},
    // 8 parameters a row, D1 binds at most 100 a statement.
    inboxWriteBatch: 12,
    // No charts: echarts and resvg stay out of the bundle, so digests go as text alone.
  });
  await liaison.seedStaff();
  return { config, liaison, runtime: workerRuntime(liaison, config, logger, d1) };
}
