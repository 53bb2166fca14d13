import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Kysely } from 'kysely';
import { lazyDigestChartRenderer } from '../../adapters/charts/lazy-digest-chart.ts';
import type { HostResolver } from '../../adapters/robot-urls.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { openDatabase } from '../../db/open.ts';
import type { Database } from '../../db/schema.ts';
import { databaseWriteProblem, isReadOnlyError, pingDatabase } from '../../db/write-check.ts';
import { type Config, ConfigError } from '../config.ts';
import { parseRuleSet, type RuleSet } from '../core/kernel/tagging/rules.ts';
import type { PlatformAdapter } from '../core/ports/adapter.ts';
import { type Clock, type Logger, systemClock } from '../core/ports/clock.ts';
import { bringSearchIndexUpToDate } from '../core/records/customers/search-index.ts';
import type { QueueSettings } from '../jobs/settings.ts';
import { buildAdapters } from '../wiring/adapters.ts';
import { createLiaison, type Liaison } from '../wiring/liaison.ts';
import { fileKeepingFor } from '../wiring/storage.ts';
import { attachmentsDir, diskStorage } from './disk-storage.ts';
import { createNodeMetrics } from './metrics.ts';
import { ingestFirstPacer } from './pacer.ts';
import { systemHostResolver } from './resolve-host.ts';

export interface NodeServerOptions {
  config: Config;
  logger: Logger;
  /** An already-open database (tests); otherwise DATABASE_URL is opened. */
  db?: Kysely<Database>;
  clock?: Clock;
  settings?: Partial<QueueSettings>;
  /** Resolves robot webhook hosts for the address check; the system resolver unless a test injects one. */
  resolveHost?: HostResolver;
}

export interface NodeServer {
  url: string;
  port: number;
  liaison: Liaison;
  adapters: Map<string, PlatformAdapter>;
  databaseDescription: string;
  appliedMigrations: string[];
  /** Stops taking requests, lets the loops finish their current step, closes the database if it opened it. */
  close(): Promise<void>;
}

/** Runs Liaison as one Node process: migrations, admins, HTTP server, background loops. */
export async function startNodeServer(o: NodeServerOptions): Promise<NodeServer> {
  const opened = o.db
    ? null
    : openDatabase(o.config.databaseUrl, o.config.databasePoolSize, {
        namedStatements: o.config.databaseNamedStatements,
      });
  const db = o.db ?? (opened as NonNullable<typeof opened>).db;
  const databaseDescription = opened?.description ?? 'provided database';
  const appliedMigrations = await prepareDatabase(db, databaseDescription).catch(async (error: unknown) => {
    if (opened) await db.destroy().catch(() => {});
    throw error;
  });
  const clock = o.clock ?? systemClock;
  await bringSearchIndexUpToDate(db, clock.now());
  // The playground's secret lives as long as this process: a restart serves the page with a new one.
  const web = o.config.playground ? { db, secret: randomBytes(32).toString('base64url') } : undefined;
  const adapters = await buildAdapters(o.config, clock, web, o.resolveHost ?? systemHostResolver);
  const tagRules = o.config.tagRulesFile ? readTagRules(o.config.tagRulesFile) : undefined;
  const metrics = createNodeMetrics({ db, clock, platforms: [...adapters.keys()] });
  const files = fileKeepingFor(
    o.config,
    diskStorage(attachmentsDir(o.config.attachments.dir, o.config.databaseUrl)),
  );
  const liaison = createLiaison({
    metrics,
    ...(files ? { files } : {}),
    config: o.config,
    db,
    adapters,
    clock,
    logger: o.logger,
    instanceId: `node-${process.pid}-${randomUUID().slice(0, 8)}`,
    pacer: ingestFirstPacer,
    charts: lazyDigestChartRenderer(),
    ...(tagRules ? { tagRules } : {}),
    ...(o.settings ? { settings: o.settings } : {}),
  });
  await liaison.seedStaff();

  const server = serve({ fetch: liaison.app.fetch, port: o.config.port, hostname: o.config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const adaptersStarting = startAdapters(adapters, o.config, o.logger);
  // Processing waits (briefly) until adapters know their platform, e.g. the bot's username that addresses
  // group commands; deliveries are already being stored and acknowledged meanwhile.
  await Promise.race([adaptersStarting.firstAttempts, delay(ADAPTER_START_WAIT_MS)]);
  liaison.startLoops();

  const host = o.config.host === '0.0.0.0' || o.config.host === '::' ? '127.0.0.1' : o.config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    liaison,
    adapters,
    databaseDescription,
    appliedMigrations,
    async close() {
      adaptersStarting.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await liaison.stopLoops();
      if (opened) await db.destroy();
    },
  };
}

/**
 * Migrates, then refuses a database that takes no writes: a read-only SQLite file would otherwise look healthy while
 * every write fails. Errors name the database (never its password) and the cause, in one line.
 */
async function prepareDatabase(db: Kysely<Database>, description: string): Promise<string[]> {
  const refuse = (why: string, cause?: unknown) =>
    new Error(`cannot use the database ${description}: ${why}`, { cause });
  // Opening and connecting fail here, with their own words (not as a "migration failed").
  await pingDatabase(db).catch((error: unknown) => {
    throw refuse((error as Error).message, error);
  });
  let applied: string[];
  try {
    applied = await migrateToLatest(db);
  } catch (error) {
    const readOnly = isReadOnlyError(error) ? await databaseWriteProblem(db) : null;
    throw refuse(readOnly ?? (error as Error).message, error);
  }
  const readOnly = await databaseWriteProblem(db);
  if (readOnly) throw refuse(readOnly);
  return applied;
}

/** The admin's rule file; a file that cannot be read or is not a valid rule set stops the start, naming the problem. */
function readTagRules(path: string): RuleSet {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `TAG_RULES_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  try {
    return parseRuleSet(text);
  } catch (error) {
    throw new ConfigError([`TAG_RULES_FILE ${path}: ${(error as Error).message}`]);
  }
}

const ADAPTER_START_WAIT_MS = 5_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Adapters learn about their platform in the background, retrying, so a platform outage never blocks start-up. */
function startAdapters(adapters: Map<string, PlatformAdapter>, config: Config, logger: Logger) {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const attempt = async (adapter: PlatformAdapter, delayMs: number): Promise<void> => {
    try {
      await adapter.start?.();
      if (config.publicUrl && adapter.registerWebhook) {
        await adapter.registerWebhook(`${config.publicUrl}/webhooks/${adapter.platform}`);
        logger.info({ platform: adapter.platform }, 'webhook registered');
      }
    } catch (error) {
      if (stopped) return;
      logger.warn(
        {
          platform: adapter.platform,
          error: error instanceof Error ? error.message : String(error),
          retryInMs: delayMs,
        },
        'could not reach the platform at start-up; retrying',
      );
      const timer = setTimeout(() => {
        timers.delete(timer);
        void attempt(adapter, Math.min(delayMs * 2, 10 * 60_000));
      }, delayMs);
      timer.unref();
      timers.add(timer);
    }
  };
  const firstAttempts = Promise.all([...adapters.values()].map((adapter) => attempt(adapter, 5_000)));
  return {
    firstAttempts,
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}
