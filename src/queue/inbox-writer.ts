import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import { afterPendingIo } from '../lib/next-turn.ts';
import type { NewDelivery } from './inbox.ts';

interface Waiting {
  delivery: NewDelivery;
  resolve: (isNew: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the inbox: deliveries that arrive in the same event-loop turn are stored with one multi-row
 * INSERT … ON CONFLICT DO NOTHING. Every caller still waits for its own row to be durable before acknowledging,
 * and if the write fails every caller in the batch gets the error (and answers 503).
 */
export class InboxWriter {
  private waiting: Waiting[] = [];
  private scheduled = false;
  /** Batches handed to the database and not answered yet (they may wait for a connection another task holds). */
  private storing = 0;
  /** Deliveries offered so far; lets the runtime see webhook pressure. */
  received = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Rows per INSERT; keep rows × 8 parameters within the dialect's limit (D1: 100). */
    private readonly maxBatch = 200,
  ) {}

  /** True while deliveries wait to be stored (requests are waiting for their acknowledgement). */
  get busy(): boolean {
    return this.waiting.length > 0 || this.storing > 0;
  }

  /** Resolves true when the delivery is new, false for a redelivery; rejects when the database refused the write. */
  put(delivery: NewDelivery): Promise<boolean> {
    this.received++;
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        afterPendingIo(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.storing++;
      try {
        const stored = await this.insert(batch.map((w) => w.delivery));
        // A key sent twice within one batch is new for the first caller only.
        for (const w of batch) w.resolve(stored.delete(keyOf(w.delivery)));
      } catch (error) {
        for (const w of batch) w.reject(error);
      } finally {
        this.storing--;
      }
    }
  }

  private async insert(deliveries: NewDelivery[]): Promise<Set<string>> {
    const now = this.clock.now();
    const rows = await this.db
      .insertInto('inbox')
      .values(
        deliveries.map((d) => ({
          platform: d.platform,
          workspace: d.workspace,
          dedup_key: d.dedupKey,
          payload: d.payload,
          status: 'pending' as const,
          attempts: 0,
          available_at: now,
          received_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['platform', 'workspace', 'dedup_key']).doNothing())
      .returning(['platform', 'workspace', 'dedup_key'])
      .execute();
    return new Set(
      rows.map((r) => keyOf({ platform: r.platform, workspace: r.workspace, dedupKey: r.dedup_key })),
    );
  }
}

const keyOf = (d: Pick<NewDelivery, 'platform' | 'workspace' | 'dedupKey'>) =>
  `${d.platform}\u0000${d.workspace}\u0000${d.dedupKey}`;
