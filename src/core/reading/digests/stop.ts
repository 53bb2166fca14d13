import type { DigestSubscriptionTable } from '../../../../db/schema.ts';
import { messages } from '../../kernel/i18n/index.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundMessage } from '../../ports/outbound.ts';
import { reportStopped } from '../../records/staff/notify.ts';

/**
 * Stops a subscription whose subscriber left or is no longer a manager or above, and tells every active admin once:
 * the conditional update lets one instance (and one pass) win, and only the winner audits and writes to the admins.
 */
export async function stopSubscription(
  deps: CoreDeps,
  sub: Pick<DigestSubscriptionTable, 'kind' | 'platform' | 'target_kind'> & { id: number },
  now: number,
): Promise<OutboundMessage[]> {
  const stopped = await deps.db
    .updateTable('digest_subscriptions')
    .set({ enabled: 0, stop_reason: 'subscriber_gone', updated_at: now })
    .where('id', '=', sub.id)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  if (Number(stopped.numUpdatedRows) === 0) return [];
  return reportStopped(
    deps,
    {
      action: 'digest.stopped',
      subjectKind: 'digest_subscription',
      subjectId: sub.id,
      reason: 'subscriber_gone',
    },
    (lang) => messages(lang).stopped.digest(sub.id, sub.kind, sub.platform),
  );
}
