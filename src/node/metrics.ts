import type { Kysely } from 'kysely';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Database, MessageFileStatus } from '../../db/schema.ts';
import { fileCounts } from '../core/conversations/keep-files.ts';
import { type ArchiveState, archiveStates } from '../core/inbound/archive.ts';
import { type LlmUsageTotal, llmUsageTotals } from '../core/kernel/llm-usage.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { MetricsPort } from '../http/metrics.ts';
import { type QueueDepths, queueDepths } from '../queue/depths.ts';

export interface NodeMetricsOptions {
  db: Kysely<Database>;
  clock: Clock;
  /** The platforms that are on: their queue gauges read 0 rather than vanish when nothing waits. */
  platforms: string[];
}

interface Snapshot extends QueueDepths {
  llm: LlmUsageTotal[];
  archive: ArchiveState[];
  files: Record<MessageFileStatus, number>;
}

/**
 * Prometheus metrics for a Node process (prom-client): webhook latency by platform and status, counted as they
 * happen; queue depths and LLM usage read from the database at scrape time, so every instance reports the same
 * shared queues; and the process's own metrics (CPU, memory, event loop lag).
 */
export function createNodeMetrics(o: NodeMetricsOptions): MetricsPort {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const webhook = new Histogram({
    name: 'liaison_webhook_request_duration_seconds',
    help: 'Webhook requests by platform and HTTP status: time to answer (its _count is the request count)',
    labelNames: ['platform', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // One set of queries per scrape, shared by every gauge's collect().
  let current: Promise<Snapshot | null> | null = null;
  const snapshot = () => current ?? readSnapshot(o.db);
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, s: Snapshot) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const s = await snapshot();
        if (s) fill(this, s);
      },
    });
  const perPlatform = (g: Gauge, rows: Array<{ platform: string; value: number }>) => {
    for (const platform of o.platforms) g.set({ platform }, 0);
    for (const r of rows) g.set({ platform: r.platform }, r.value);
  };

  new Gauge({
    name: 'liaison_database_up',
    help: '1 when the database answered the queries behind this page, 0 when it did not',
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  gauge('liaison_inbox_pending', 'Webhook deliveries stored and not yet processed', ['platform'], (g, s) =>
    perPlatform(
      g,
      s.inbox.map((r) => ({ platform: r.platform, value: r.n })),
    ),
  );
  gauge(
    'liaison_inbox_oldest_pending_age_seconds',
    'Age of the oldest delivery not yet processed (0 when none waits)',
    ['platform'],
    (g, s) =>
      perPlatform(
        g,
        s.inbox.map((r) => ({
          platform: r.platform,
          value: r.oldest === null ? 0 : Math.max(0, (o.clock.now() - r.oldest) / 1000),
        })),
      ),
  );
  for (const status of ['pending', 'failed'] as const) {
    gauge(
      `liaison_outbox_${status}`,
      status === 'pending'
        ? 'Sends and platform actions waiting to go out (including retries)'
        : 'Sends and platform actions the platform refused for good or that ran out of attempts',
      ['platform'],
      (g, s) =>
        perPlatform(
          g,
          s.outbox.filter((r) => r.status === status).map((r) => ({ platform: r.platform, value: r.n })),
        ),
    );
  }
  gauge(
    'liaison_llm_calls',
    'Language model calls recorded (llm_calls), by purpose, model and outcome',
    ['purpose', 'model', 'outcome'],
    (g, s) => {
      for (const r of s.llm)
        g.inc({ purpose: r.purpose, model: r.model, outcome: r.ok ? 'ok' : 'error' }, r.n);
    },
  );
  gauge(
    'liaison_llm_tokens',
    'Language model tokens recorded (llm_calls), by purpose, model and kind (prompt or completion)',
    ['purpose', 'model', 'kind'],
    (g, s) => {
      for (const r of s.llm) {
        g.inc({ purpose: r.purpose, model: r.model, kind: 'prompt' }, r.prompt);
        g.inc({ purpose: r.purpose, model: r.model, kind: 'completion' }, r.completion);
      }
    },
  );

  // The chat archive (where a companion pushes one): how far it reached, and how long announcements have waited.
  const perArchive = (g: Gauge, s: Snapshot, value: (a: ArchiveState) => number | null) => {
    for (const a of s.archive) {
      const v = value(a);
      if (v !== null) g.set({ platform: a.platform, workspace: a.workspace }, v);
    }
  };
  const age = (at: number | null) => (at === null ? null : Math.max(0, (o.clock.now() - at) / 1000));
  gauge(
    'liaison_archive_seq',
    'Highest chat archive sequence number pushed by the archive companion',
    ['platform', 'workspace'],
    (g, s) => perArchive(g, s, (a) => (a.seq === null ? null : Number(a.seq))),
  );
  gauge(
    'liaison_archive_last_push_age_seconds',
    'Time since a push from the archive companion last brought new records',
    ['platform', 'workspace'],
    (g, s) => perArchive(g, s, (a) => age(a.lastPushAt)),
  );
  gauge(
    'liaison_archive_unanswered_notify_age_seconds',
    'Time since the platform announced archived messages that no push has followed (0 when none waits)',
    ['platform', 'workspace'],
    (g, s) => perArchive(g, s, (a) => age(a.pendingSince) ?? 0),
  );

  gauge(
    'liaison_attachments',
    'Message files by status: pending (to fetch), stored (kept), failed (the platform gave none), refused (too large or not allowed)',
    ['status'],
    (g, s) => {
      for (const [status, n] of Object.entries(s.files)) g.set({ status }, n);
    },
  );

  return {
    contentType: registry.contentType,
    observeWebhook(platform, status, seconds) {
      webhook.observe({ platform, status: String(status) }, seconds);
    },
    async render() {
      current = readSnapshot(o.db);
      try {
        return await registry.metrics();
      } finally {
        current = null;
      }
    },
  };
}

/** The database-derived numbers; null when the database does not answer (the page still renders). */
async function readSnapshot(db: Kysely<Database>): Promise<Snapshot | null> {
  try {
    const [depths, llm, archive, files] = await Promise.all([
      queueDepths(db),
      llmUsageTotals(db),
      archiveStates(db),
      fileCounts(db),
    ]);
    return { ...depths, llm, archive, files };
  } catch {
    return null;
  }
}
