import type { Platform } from '../../../db/schema.ts';
import type { CoreDeps } from '../runtime.ts';
import { type ChannelCodeOutcome, createChannelCode, generateCode } from './codes.ts';

/**
 * The referral code (老客户推荐) of an existing customer on one platform, made for a staff member: the active one there
 * already is, or a new one whose link puts new customers in touch with that staff member (a WeCom contact-me code of
 * theirs, a Telegram deep link). Scope is the caller's to check.
 */
export async function referralCode(
  deps: CoreDeps,
  req: { customerId: number; platform: Platform; staffId: number },
): Promise<ChannelCodeOutcome & { existed?: boolean }> {
  const existing = await deps.db
    .selectFrom('channel_codes')
    .selectAll()
    .where('kind', '=', 'referral')
    .where('referrer_customer_id', '=', req.customerId)
    .where('platform', '=', req.platform)
    .where('active', '=', 1)
    .orderBy('id')
    .executeTakeFirst();
  if (existing) return { ok: true, channel: existing, existed: true };
  return createChannelCode(deps, {
    // ≤ 30 characters (WeCom state): `ref` + id + random part.
    code: generateCode(`ref${req.customerId}-`, 8),
    // The id, not the name: the name would outlive an erasure on the timelines of the customers it brought.
    name: `referral #${req.customerId}`,
    kind: 'referral',
    platform: req.platform,
    staffIds: [req.staffId],
    referrerCustomerId: req.customerId,
    createdByStaffId: req.staffId,
  });
}
