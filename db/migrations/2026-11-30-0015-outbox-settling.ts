import type { AnyDb } from './helpers.ts';

/**
 * The outbox keeps what a platform answered (`result`: its events and follow-ups, e.g. a WeCom mass-send task's msgid
 * and the check 30 minutes later) from the moment the send is accepted (status `settling`) until it is handled, so a
 * process that dies in between leaves the answer for the next claimer instead of losing it.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('result', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('result').execute();
}
