/** Timings and limits of the background queues. Defaults suit production; tests shorten them. */
export interface QueueSettings {
  /** How long a claimed row stays with its worker before another may take it (a crashed worker's rows come back). */
  leaseMs: number;
  /** How often an idle worker looks for due rows that nobody kicked it for (retries, other instances' rows). */
  pollMs: number;
  /** Sends one outbox claim takes. */
  batchSize: number;
  /**
   * Deliveries one inbox claim takes. On SQLite a large batch shares its transaction's commit and the index pages it
   * dirties among many messages; D1 binds at most 100 parameters a statement, which the claim's id list must stay in.
   */
  inboxBatchSize: number;
  inboxMaxAttempts: number;
  outboxMaxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** A platform call that takes longer is abandoned and retried. */
  sendTimeoutMs: number;
  /** Chats sent to in parallel; sends to one chat stay in order. */
  sendConcurrency: number;
  /**
   * Lanes of one claimed batch processed at once; a chat (or connection, contact, service account) stays in one lane,
   * in arrival order (`packLanes`). More than one pays on PostgreSQL, where processing waits on round trips; SQLite
   * has one writer.
   */
  inboxLanes: number;
  /**
   * How long one inbox transaction takes deliveries on while nothing else waits for the database: long enough that
   * its commit (and the index pages it dirties) is shared by many, short enough that rows another instance's
   * transaction wants (PostgreSQL) are not held long. SQLite commits as soon as anything waits, whatever this says.
   */
  inboxTransactionMs: number;
}

export const defaultQueueSettings: QueueSettings = {
  leaseMs: 60_000,
  pollMs: 1_000,
  batchSize: 50,
  inboxBatchSize: 50,
  inboxMaxAttempts: 8,
  outboxMaxAttempts: 10,
  retryBaseMs: 2_000,
  retryMaxMs: 15 * 60_000,
  sendTimeoutMs: 15_000,
  sendConcurrency: 8,
  inboxLanes: 1,
  inboxTransactionMs: 25,
};

/**
 * The defaults for a database the Node process holds: on PostgreSQL, four lanes, and transactions long enough for
 * several messages; on SQLite, claims of 500 in transactions of up to 200 ms (a backlog drained ~15% faster than
 * with 50, its commits and claims shared; the transaction still commits as soon as anything else waits).
 */
export function queueSettingsFor(postgres: boolean): QueueSettings {
  // A customer's message takes ~20 round trips on PostgreSQL: 25 ms held one or two per transaction and commit.
  if (postgres) return { ...defaultQueueSettings, inboxLanes: 4, inboxTransactionMs: 100 };
  return { ...defaultQueueSettings, inboxBatchSize: 500, inboxTransactionMs: 200 };
}

/** An error's message for the queue's `last_error`: short, and never a stack. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
