import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

export interface RelationUpdate {
  identityId: number;
  customerId: number;
  memberExternalId: string;
  staffId: number | null;
  remark?: string | null;
  description?: string | null;
  channel?: string | null;
  addedAt?: number | null;
}

/** Records that a staff member holds the customer's identity as a contact (again, if the relation was lost). */
export async function upsertActiveRelation(
  db: Kysely<Database>,
  r: RelationUpdate,
  now: number,
): Promise<void> {
  const values = {
    customer_id: r.customerId,
    staff_id: r.staffId,
    status: 'active' as const,
    remark: r.remark ?? null,
    description: r.description ?? null,
    lost_at: null,
    lost_reason: null,
    updated_at: now,
    ...(r.channel ? { channel: r.channel } : {}),
    ...(r.addedAt ? { added_at: r.addedAt } : {}),
  };
  await db
    .insertInto('contact_relations')
    .values({ identity_id: r.identityId, member_external_id: r.memberExternalId, ...values })
    .onConflict((oc) => oc.columns(['identity_id', 'member_external_id']).doUpdateSet(values))
    .execute();
}

/** Marks a relation lost (kept for history); returns whether it was active until now. */
export async function markRelationLost(
  db: Kysely<Database>,
  identityId: number,
  memberExternalId: string,
  reason: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .updateTable('contact_relations')
    .set({ status: 'lost', lost_at: at, lost_reason: reason, updated_at: at })
    .where('identity_id', '=', identityId)
    .where('member_external_id', '=', memberExternalId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
