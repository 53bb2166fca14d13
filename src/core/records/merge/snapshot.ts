import type { Kysely, Selectable } from 'kysely';
import type { CustomerTagTable, Database } from '../../../../db/schema.ts';
import { MERGE_COLUMNS, type MergeColumns } from './rules.ts';

/** Tables whose rows point at a customer by `customer_id` and have an `id`: a merge moves them by id. */
export const MOVED_TABLES = [
  'identities',
  'chats',
  'messages',
  'chat_members',
  'customer_events',
  'notes',
  'deals',
  'reminders',
  'transfers',
  'contact_relations',
  'conversation_bursts',
  'alerts',
  'customer_sources',
  'customer_outreach',
  'outbox',
  'campaign_recipients',
  'sop_enrollments',
] as const;
export type MovedTable = (typeof MOVED_TABLES)[number];

/** Tables unique per (something, customer): the merged customer's row is dropped when the kept one has that key. */
export const CLASHING = {
  campaign_recipients: 'campaign_id',
  sop_enrollments: 'sop_id',
  conversation_bursts: 'started_at',
} as const;
export type ClashingTable = keyof typeof CLASHING;

/** A whole row the merge deleted, as read. */
export type DroppedRow = { id: number } & Record<string, unknown>;

/** A customer's columns as the merge found them. */
export type CustomerBefore = MergeColumns & { search_text: string; updated_at: number };

/**
 * What a merge changed, with the values before, so an undo restores both records exactly. Row ids only for rows that
 * moved (they keep every other column); whole rows for those the merge deleted because the kept record already had
 * their key (a tag, a campaign recipient, an SOP enrollment on both sides).
 */
export interface MergeSnapshot {
  version: 1;
  /** The request that made the merge: a redelivery of it answers with this merge instead of "already merged". */
  key: string;
  survivor: CustomerBefore;
  merged: CustomerBefore;
  /** What the merge wrote on the kept record; an undo restores only columns nobody changed since. */
  survivorAfter: MergeColumns;
  moved: Record<MovedTable, number[]>;
  tags: { moved: number[]; dropped: Array<Selectable<CustomerTagTable>> };
  dropped: Record<ClashingTable, DroppedRow[]>;
  /** Referral links and sources naming the merged customer as the referrer. */
  referrals: { channel_codes: number[]; customer_sources: number[] };
}

/** The columns a merge reads (and may restore) of one customer; undefined when there is no such customer. */
export async function customerBefore(
  db: Kysely<Database>,
  id: number,
): Promise<(CustomerBefore & { merged_into_id: number | null }) | undefined> {
  return db
    .selectFrom('customers')
    .select([...MERGE_COLUMNS, 'search_text', 'updated_at', 'merged_into_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Reads everything a merge of `mergedId` into `survivorId` will change, before changing anything. */
export async function takeSnapshot(
  db: Kysely<Database>,
  survivor: CustomerBefore,
  merged: CustomerBefore,
  ids: { survivorId: number; mergedId: number },
  survivorAfter: MergeColumns,
  key: string,
): Promise<MergeSnapshot> {
  const { survivorId, mergedId } = ids;
  const moved = {} as Record<MovedTable, number[]>;
  for (const table of MOVED_TABLES) {
    // The tables differ, the two columns read do not: typed as one of them.
    const t = table as 'notes';
    const rows = await db
      .selectFrom(t)
      .select('id')
      .where('customer_id', '=', mergedId)
      .orderBy('id')
      .execute();
    moved[table] = rows.map((r) => r.id);
  }
  const [survivorTags, mergedTags] = await Promise.all([
    db.selectFrom('customer_tags').select('tag_id').where('customer_id', '=', survivorId).execute(),
    db
      .selectFrom('customer_tags')
      .selectAll()
      .where('customer_id', '=', mergedId)
      .orderBy('tag_id')
      .execute(),
  ]);
  const onSurvivor = new Set(survivorTags.map((t) => t.tag_id));
  const dropped = {} as Record<ClashingTable, DroppedRow[]>;
  for (const table of Object.keys(CLASHING) as ClashingTable[]) {
    dropped[table] = await clashing(db, table, ids);
    const gone = new Set(dropped[table].map((r) => r.id));
    moved[table] = moved[table].filter((id) => !gone.has(id));
  }
  const [codes, referred] = await Promise.all([
    db.selectFrom('channel_codes').select('id').where('referrer_customer_id', '=', mergedId).execute(),
    db.selectFrom('customer_sources').select('id').where('referrer_customer_id', '=', mergedId).execute(),
  ]);
  return {
    version: 1,
    key,
    survivor,
    merged,
    survivorAfter,
    moved,
    tags: {
      moved: mergedTags.filter((t) => !onSurvivor.has(t.tag_id)).map((t) => t.tag_id),
      dropped: mergedTags.filter((t) => onSurvivor.has(t.tag_id)),
    },
    dropped,
    referrals: { channel_codes: codes.map((r) => r.id), customer_sources: referred.map((r) => r.id) },
  };
}

/**
 * The merged customer's rows of a table unique per (campaign, SOP or burst start, customer) whose key the kept record
 * has too: the kept record's row stays, these are deleted (and kept whole in the snapshot).
 */
async function clashing(
  db: Kysely<Database>,
  table: ClashingTable,
  ids: { survivorId: number; mergedId: number },
): Promise<DroppedRow[]> {
  // The tables share the shape that matters here; typed as one of them.
  const t = table as 'campaign_recipients';
  const col = CLASHING[table] as 'campaign_id';
  const kept = await db.selectFrom(t).select(col).where('customer_id', '=', ids.survivorId).execute();
  const keys = new Set(kept.map((r) => r[col]));
  const mine = await db
    .selectFrom(t)
    .selectAll()
    .where('customer_id', '=', ids.mergedId)
    .orderBy('id')
    .execute();
  return mine.filter((r) => keys.has(r[col]));
}
