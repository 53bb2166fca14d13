import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../../db/schema.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import { type ReachedCustomer, reachCustomer } from '../../kernel/permissions/reach.ts';

/**
 * The customer behind a platform account (a WeCom external userid, a Telegram user id) that the actor may see: what a
 * page beside a chat opens for the person being chatted with. Null when unknown or outside the actor's scope.
 */
export async function customerByIdentity(
  db: Kysely<Database>,
  actor: Actor,
  platform: Platform,
  externalId: string,
): Promise<ReachedCustomer | null> {
  if (externalId.length === 0 || externalId.length > 200) return null;
  // The same account id in several workspaces (two WeCom corps) is rare: the first one the actor may see.
  const rows = await db
    .selectFrom('identities')
    .select('customer_id')
    .where('platform', '=', platform)
    .where('external_id', '=', externalId)
    .orderBy('id')
    .limit(5)
    .execute();
  for (const row of rows) {
    const reached = await reachCustomer(db, actor, row.customer_id);
    if (reached) return reached;
  }
  return null;
}

/**
 * The platform a staff member's reminders go to when they set one outside a chat (the web app): the first of their
 * platform accounts. Null: they have none (a reminder then cannot be delivered).
 */
export async function staffHomePlatform(db: Kysely<Database>, staffId: number): Promise<Platform | null> {
  const row = await db
    .selectFrom('staff_identities')
    .select('platform')
    .where('staff_id', '=', staffId)
    .orderBy('id')
    .executeTakeFirst();
  return row?.platform ?? null;
}
