import type { Insertable, Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { WebMessageTable } from './tables/web.ts';

/** Stores a message for a web chat page to read (the web channel's "platform" is this table); once per key. */
export async function storeWebMessage(db: Kysely<Database>, row: Insertable<WebMessageTable>): Promise<void> {
  await db
    .insertInto('web_messages')
    .values(row)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}
