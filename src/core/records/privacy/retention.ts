import { sql } from 'kysely';
import type { CoreDeps } from '../../kernel/runtime.ts';

const DAY = 86_400_000;
/** Rows blanked per statement: bounded work per step on every dialect (D1's statement limits included). */
export const RETENTION_BATCH = 500;
/** With nothing left to blank, look again after this long. */
const IDLE_MS = 10 * 60_000;

/**
 * Blanks the raw payloads of processed deliveries (done or given up) older than the retention, at most `batch` per
 * call, oldest first. The rows stay with their dedup keys, so a platform redelivering an old update is still
 * recognised as a duplicate. Returns how many were blanked.
 */
export async function blankOldPayloads(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  retentionDays: number,
  batch = RETENTION_BATCH,
): Promise<number> {
  if (retentionDays <= 0) return 0;
  const cutoff = deps.clock.now() - retentionDays * DAY;
  const result = await deps.db
    .updateTable('inbox')
    .set({ payload: '' })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('inbox')
        .select('id')
        // Spelled as the partial index `inbox_payload_kept` is, so the database reads that index.
        .where(sql<boolean>`payload <> ''`)
        .where('received_at', '<', cutoff)
        .where('status', '!=', 'pending')
        .orderBy('received_at')
        .limit(batch),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The retention sweep as a timed-work step (INBOX_PAYLOAD_RETENTION_DAYS; 0 keeps payloads): a batch now, the next
 * one at once while batches come back full, and a look every ten minutes once caught up.
 */
export function inboxRetentionSweep(deps: CoreDeps): () => Promise<number> {
  let nextAt = Number.NEGATIVE_INFINITY;
  return async () => {
    const days = deps.org.inboxPayloadRetentionDays;
    if (days <= 0 || deps.clock.now() < nextAt) return 0;
    const blanked = await blankOldPayloads(deps, days);
    if (blanked < RETENTION_BATCH) nextAt = deps.clock.now() + IDLE_MS;
    return blanked;
  };
}
