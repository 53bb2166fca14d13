import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../db/schema.ts';

/** What waits in the queues, shared by every instance: pending deliveries per platform, unsent sends per status. */
export interface QueueDepths {
  inbox: Array<{ platform: string; n: number; oldest: number | null }>;
  outbox: Array<{ platform: string; status: string; n: number }>;
}

/** Reads the queues' depths (for metrics, at scrape time). */
export async function queueDepths(db: Kysely<Database>): Promise<QueueDepths> {
  const [inbox, outbox] = await Promise.all([
    db
      .selectFrom('inbox')
      .select(({ fn }) => ['platform', fn.countAll().as('n'), fn.min('received_at').as('oldest')])
      .where('status', '=', 'pending')
      .groupBy('platform')
      .execute(),
    db
      .selectFrom('outbox')
      .select(({ fn }) => ['platform', 'status', fn.countAll().as('n')])
      .where('status', 'in', ['pending', 'failed'])
      .groupBy(['platform', 'status'])
      .execute(),
  ]);
  return {
    inbox: inbox.map((r) => ({
      platform: r.platform,
      n: Number(r.n),
      oldest: r.oldest === null ? null : Number(r.oldest),
    })),
    outbox: outbox.map((r) => ({ platform: r.platform, status: r.status, n: Number(r.n) })),
  };
}

/** How many deliveries and sends of one platform are still pending. */
export async function pendingOf(
  db: Kysely<Database>,
  platform: Platform,
): Promise<{ inbox: number; outbox: number }> {
  const count = async (table: 'inbox' | 'outbox') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('platform', '=', platform)
          .where('status', '=', 'pending')
          .executeTakeFirst()
      )?.n ?? 0,
    );
  return { inbox: await count('inbox'), outbox: await count('outbox') };
}
