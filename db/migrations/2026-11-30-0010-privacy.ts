import { sql } from 'kysely';
import type { AnyDb } from './helpers.ts';

/**
 * Privacy: the retention sweep finds raw inbox payloads still kept by their arrival time, through an index of only
 * those rows (blanked ones leave it), so each sweep reads what it blanks and not the whole history. The customers'
 * do-not-contact flag has been a column since the foundation.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('inbox_payload_kept')
    .on('inbox')
    .column('received_at')
    .where(sql.ref('payload'), '<>', sql.lit(''))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('inbox_payload_kept').execute();
}
