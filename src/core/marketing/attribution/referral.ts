import type { Platform } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { auditedAs } from '../../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type ChannelCodeOutcome, createChannelCode, generateCode } from './codes.ts';

/**
 * The referral code (老客户推荐) of an existing customer on one platform, made for the staff member asking (whoever
 * reaches the customer): the active one there already is, or a new one whose link puts new customers in touch with
 * them (a WeCom contact-me code of theirs, a Telegram deep link). A new code is audited.
 */
export async function referralCode(
  deps: CoreDeps,
  req: { customer: ReachedCustomer; platform: Platform },
): Promise<ChannelCodeOutcome & { existed?: boolean }> {
  const { actor, id: customerId } = req.customer;
  if (actor.staffId === null) return { ok: false, status: 'invalid', field: 'staff', error: 'not staff' };
  const staffId = actor.staffId;
  const existing = await deps.db
    .selectFrom('channel_codes')
    .selectAll()
    .where('kind', '=', 'referral')
    .where('referrer_customer_id', '=', customerId)
    .where('platform', '=', req.platform)
    .where('active', '=', 1)
    .orderBy('id')
    .executeTakeFirst();
  if (existing) return { ok: true, channel: existing, existed: true };
  const made = await createChannelCode(deps, {
    // ≤ 30 characters (WeCom state): `ref` + id + random part.
    code: generateCode(`ref${customerId}-`, 8),
    // The id, not the name: the name would outlive an erasure on the timelines of the customers it brought.
    name: `referral #${customerId}`,
    kind: 'referral',
    platform: req.platform,
    staffIds: [staffId],
    referrerCustomerId: customerId,
    createdByStaffId: staffId,
  });
  if (made.ok) {
    const c = made.channel;
    await audit(deps.db, deps.clock.now(), {
      ...auditedAs(actor),
      action: 'channel_code.created',
      subjectKind: 'channel_code',
      subjectId: c.id,
      detail: { code: c.code, kind: c.kind, platform: c.platform, referrer: customerId },
    });
  }
  return made;
}
