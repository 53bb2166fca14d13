import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { refreshSearchText } from './search-text.ts';

/**
 * Hands every searchable customer's stored `search_text` to `index`, a batch of customers (by id) at a time, and
 * returns how many there were: the backfills of the search index walk the table this way on every dialect. Text
 * stored by an older version (before Traditional Chinese was folded) is rewritten first, so the LIKE sees what the
 * keys hold.
 */
export async function eachSearchTextBatch(
  db: Kysely<Database>,
  batch: number,
  index: (rows: Array<{ id: number; search_text: string }>) => Promise<void>,
): Promise<number> {
  let after = 0;
  let indexed = 0;
  for (;;) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'search_text'])
      .where('id', '>', after)
      .where('merged_into_id', 'is', null)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return indexed;
    for (const row of rows) {
      const current = refreshSearchText(row.search_text);
      if (current === row.search_text) continue;
      // Only over the text read: a write of new text meanwhile already holds it folded.
      await db
        .updateTable('customers')
        .set({ search_text: current })
        .where('id', '=', row.id)
        .where('search_text', '=', row.search_text)
        .execute();
      row.search_text = current;
    }
    await index(rows);
    indexed += rows.length;
    after = rows[rows.length - 1]?.id ?? after;
  }
}
