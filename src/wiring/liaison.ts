import type { Kysely } from 'kysely';
import { createOpenAiLlm } from '../../adapters/llm/openai.ts';
import { webChannelOf } from '../../adapters/web/index.ts';
import { isPostgres } from '../../db/dialect.ts';
import type { Database } from '../../db/schema.ts';
import type { Config } from '../config.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { DEFAULT_RULE_SET } from '../core/kernel/tagging/default-rules.ts';
import { compileRules, type RuleSet } from '../core/kernel/tagging/rules.ts';
import type { PlatformAdapter } from '../core/ports/adapter.ts';
import type { ChartRenderer } from '../core/ports/charts.ts';
import type { Clock, Logger } from '../core/ports/clock.ts';
import type { FileKeeping } from '../core/ports/storage.ts';
import { ensureAdmins } from '../core/records/staff/registry.ts';
import { createApp } from '../http/app.ts';
import type { MetricsPort } from '../http/metrics.ts';
import { processInboxBatch } from '../jobs/inbox-worker.ts';
import { fileKeeper } from '../jobs/keep-files.ts';
import { sendOutboxBatch } from '../jobs/outbox-sender.ts';
import { type QueueSettings, queueSettingsFor } from '../jobs/settings.ts';
import { timedWork } from '../jobs/timed-work.ts';
import { WorkLoop } from '../jobs/work-loop.ts';
import { nextTurn } from '../lib/next-turn.ts';
import { playgroundRoutes } from '../playground/routes.ts';
import { InboxWriter } from '../queue/inbox-writer.ts';
import { webAppRoutes } from '../web/routes.ts';

export interface LiaisonOptions {
  config: Config;
  db: Kysely<Database>;
  adapters: Map<string, PlatformAdapter>;
  clock: Clock;
  logger: Logger;
  settings?: Partial<QueueSettings>;
  /** The admin's tag rules (TAG_RULES_FILE); the shipped rules when absent. */
  tagRules?: RuleSet;
  /** Draws digest charts; without one, digests go as text alone. */
  charts?: ChartRenderer;
  /** Names this instance's leases; unique per process. */
  instanceId: string;
  /** How the inbox worker yields between events, given the count of webhook deliveries seen so far. */
  pacer?: (requestsSeen: () => number, acksWaiting: () => boolean) => () => Promise<void>;
  /** Inbox rows per group-commit INSERT; D1 binds at most 100 parameters per statement (8 per row). */
  inboxWriteBatch?: number;
  /** Where message attachments are kept (wiring/storage.ts); none: they stay platform references. */
  files?: FileKeeping;
  /** Where the HTTP layer reports webhook timings and reads the /metrics page (Node); none: /metrics is 404. */
  metrics?: MetricsPort;
}

/** Liaison assembled for any runtime: the HTTP app plus the inbox and outbox loops, sharing one database. */
export function createLiaison(o: LiaisonOptions) {
  const settings = {
    ...queueSettingsFor(isPostgres(o.db)),
    ...o.settings,
  };
  const rules = compileRules(o.tagRules ?? DEFAULT_RULE_SET);
  const core: CoreDeps = {
    db: o.db,
    clock: o.clock,
    logger: o.logger,
    adapters: o.adapters,
    org: o.config.org,
    tagging: { rules, allowlist: rules.tags, llmTagging: o.config.autoTagLlm },
    ...(o.config.llm ? { llm: createOpenAiLlm(o.config.llm) } : {}),
    ...(o.charts ? { charts: o.charts } : {}),
    ...(o.files ? { files: o.files } : {}),
    ...(o.config.publicUrl ? { webAppUrl: `${o.config.publicUrl}/app` } : {}),
  };
  const onLoopError = (name: string) => (error: unknown) =>
    o.logger.error(
      { loop: name, error: error instanceof Error ? error.message : String(error) },
      'background loop failed',
    );
  const outbox = new WorkLoop(
    () => sendOutboxBatch({ core, owner: o.instanceId, settings }),
    settings.pollMs,
    onLoopError('outbox'),
  );
  const inboxWriter = new InboxWriter(o.db, o.clock, o.inboxWriteBatch);
  const acksWaiting = () => inboxWriter.busy;
  const pace = (o.pacer ?? (() => nextTurn))(() => inboxWriter.received, acksWaiting);
  const inbox = new WorkLoop(
    () =>
      processInboxBatch({
        core,
        owner: o.instanceId,
        settings,
        onSendsQueued: () => outbox.kick(),
        pace,
        acksWaiting,
      }),
    settings.pollMs,
    onLoopError('inbox'),
  );
  // Reminders, reply SLAs and the model's reading of quiet bursts come due with the clock, not with an event.
  const timers = new WorkLoop(
    timedWork(core, () => outbox.kick(), settings),
    settings.pollMs,
    onLoopError('timers'),
  );
  // Attachments are fetched after the acknowledgement, apart from the inbox so a slow download holds up nothing.
  const files = new WorkLoop(fileKeeper(core, settings), settings.pollMs, onLoopError('files'));
  // The playground exists exactly when the web channel does (PLAYGROUND on, Node only).
  const web = webChannelOf(o.adapters);
  const app = createApp({
    ...(web ? { playground: playgroundRoutes({ db: o.db, clock: core.clock, channel: web }) } : {}),
    ...(o.config.publicUrl
      ? { webApp: webAppRoutes({ core, publicUrl: o.config.publicUrl, settings: o.config.web }) }
      : {}),
    db: o.db,
    inbox: inboxWriter,
    logger: o.logger,
    adapters: o.adapters,
    apiToken: o.config.apiToken,
    apiTokenStaff: o.config.apiTokenStaff,
    core,
    onQueued: () => outbox.kick(),
    onDelivery: () => inbox.kick(),
    ...(o.metrics ? { metrics: o.metrics, metricsToken: o.config.metricsToken } : {}),
  });

  return {
    app,
    inbox,
    outbox,
    core,
    /** Seeds the configured admins (for platforms that are on). */
    async seedStaff(): Promise<void> {
      const admins = o.config.adminIds.flatMap(({ platform, userId }) => {
        const adapter = o.adapters.get(platform);
        if (!adapter) {
          o.logger.warn({ platform }, 'ADMIN_IDS names a platform that is off; that admin is skipped');
          return [];
        }
        return [{ platform, workspace: adapter.peopleWorkspace, externalId: userId }];
      });
      await ensureAdmins(o.db, admins, o.clock.now());
    },
    startLoops(): void {
      inbox.start();
      outbox.start();
      timers.start();
      files.start();
    },
    async stopLoops(): Promise<void> {
      await Promise.all([inbox.stop(), outbox.stop(), timers.stop(), files.stop()]);
    },
  };
}

export type Liaison = ReturnType<typeof createLiaison>;
