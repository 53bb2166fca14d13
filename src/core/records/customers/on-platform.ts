import type { Kysely } from 'kysely';
import type { Database, Platform } from '../../../../db/schema.ts';

/** Customers known in one platform workspace (their id there and name), most recently in touch first. */
export function listCustomersOnPlatform(
  db: Kysely<Database>,
  platform: Platform,
  workspace: string,
  limit: number,
) {
  return db
    .selectFrom('identities')
    .innerJoin('customers', 'customers.id', 'identities.customer_id')
    .select(['identities.external_id as id', 'customers.display_name as name'])
    .where('identities.platform', '=', platform)
    .where('identities.workspace', '=', workspace)
    .where('customers.merged_into_id', 'is', null)
    .orderBy('customers.last_contact_at', 'desc')
    .limit(limit)
    .execute();
}
