import type { Insertable, Kysely } from 'kysely';
import type { CampaignRecipientTable, Database } from '../../../../db/schema.ts';
import { CLASHING, type ClashingTable, type MergeSnapshot, MOVED_TABLES } from './snapshot.ts';

// D1 binds at most 100 parameters per statement: ids go in parts, with room for the two customer ids.
const IDS_PER_STATEMENT = 90;

function* parts<T>(items: readonly T[], size = IDS_PER_STATEMENT): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Points the snapshot's rows from one customer at the other. Each statement only touches rows still on `from`, so
 * running it again after a crash changes nothing twice, and rows that moved on since are left where they are.
 */
async function moveRows(db: Kysely<Database>, s: MergeSnapshot, from: number, to: number): Promise<void> {
  for (const table of MOVED_TABLES) {
    // The tables differ, the columns written do not: typed as one of them.
    const t = table as 'notes';
    for (const ids of parts(s.moved[table])) {
      await db
        .updateTable(t)
        .set({ customer_id: to })
        .where('customer_id', '=', from)
        .where('id', 'in', ids)
        .execute();
    }
  }
  for (const tagIds of parts(s.tags.moved)) {
    await db
      .updateTable('customer_tags')
      .set({ customer_id: to })
      .where('customer_id', '=', from)
      .where('tag_id', 'in', tagIds)
      .execute();
  }
  for (const ids of parts(s.referrals.channel_codes)) {
    await db
      .updateTable('channel_codes')
      .set({ referrer_customer_id: to })
      .where('referrer_customer_id', '=', from)
      .where('id', 'in', ids)
      .execute();
  }
  for (const ids of parts(s.referrals.customer_sources)) {
    await db
      .updateTable('customer_sources')
      .set({ referrer_customer_id: to })
      .where('referrer_customer_id', '=', from)
      .where('id', 'in', ids)
      .execute();
  }
}

/** Moves the merged customer's rows to the kept one; rows whose key the kept one has already are deleted. */
export async function moveToSurvivor(
  db: Kysely<Database>,
  s: MergeSnapshot,
  survivorId: number,
  mergedId: number,
): Promise<void> {
  for (const table of Object.keys(CLASHING) as ClashingTable[]) {
    // The tables differ, the columns used do not: typed as one of them.
    const t = table as 'campaign_recipients';
    for (const ids of parts(s.dropped[table].map((r) => r.id))) {
      await db.deleteFrom(t).where('customer_id', '=', mergedId).where('id', 'in', ids).execute();
    }
  }
  for (const tagIds of parts(s.tags.dropped.map((t) => t.tag_id))) {
    await db
      .deleteFrom('customer_tags')
      .where('customer_id', '=', mergedId)
      .where('tag_id', 'in', tagIds)
      .execute();
  }
  await moveRows(db, s, mergedId, survivorId);
}

/** Moves the snapshot's rows back to the merged customer and puts back the rows the merge deleted. */
export async function moveBack(
  db: Kysely<Database>,
  s: MergeSnapshot,
  survivorId: number,
  mergedId: number,
): Promise<void> {
  await moveRows(db, s, survivorId, mergedId);
  // Whole rows, ids included: each insert is skipped when the row is back already (a re-run after a crash).
  for (const row of s.tags.dropped) {
    await db
      .insertInto('customer_tags')
      .values(row)
      .onConflict((oc) => oc.columns(['customer_id', 'tag_id']).doNothing())
      .execute();
  }
  for (const table of Object.keys(CLASHING) as ClashingTable[]) {
    for (const row of s.dropped[table]) {
      await db
        .insertInto(table as 'campaign_recipients')
        .values(row as Insertable<CampaignRecipientTable>)
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }
}
