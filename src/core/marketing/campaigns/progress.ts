import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { type CampaignRow, recipientCounts } from './campaigns.ts';

/** Where a campaign stands, beside its own row: its segment's name, its recipients by status, its mass-send tasks. */
export interface CampaignProgress {
  segmentName: string | null;
  recipients: Awaited<ReturnType<typeof recipientCounts>>;
  massSends: Array<{
    sender: string;
    status: string;
    customers: number;
    failed: number;
    confirmedAt: number | null;
  }>;
}

/** Reads a campaign's progress (the caller has already found the campaign within its reach). */
export async function campaignProgress(db: Kysely<Database>, row: CampaignRow): Promise<CampaignProgress> {
  const [segment, tasks, recipients] = await Promise.all([
    db.selectFrom('segments').select('name').where('id', '=', row.segment_id).executeTakeFirst(),
    db
      .selectFrom('campaign_mass_sends')
      .select(['sender_external_id', 'status', 'recipient_count', 'fail_count', 'confirmed_at'])
      .where('campaign_id', '=', row.id)
      .orderBy('id')
      .execute(),
    recipientCounts(db, row.id),
  ]);
  return {
    segmentName: segment?.name ?? null,
    recipients,
    massSends: tasks.map((t) => ({
      sender: t.sender_external_id,
      status: t.status,
      customers: t.recipient_count,
      failed: t.fail_count,
      confirmedAt: t.confirmed_at,
    })),
  };
}
