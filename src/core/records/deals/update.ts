import type { Updateable } from 'kysely';
import type { DealTable } from '../../../../db/schema.ts';
import type { Actor } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { ownerCheck } from '../customers/ownership-stage.ts';
import { dealRecorded } from './deal-events.ts';
import { CURRENCY, closesDeal, type Deal, findDeal, MAX_DEAL_TITLE_CHARS } from './deal-rows.ts';

/** What to change on a deal; absent fields stay as they are. */
export interface DealPatch {
  title?: string;
  amountMinor?: number;
  currency?: string;
  /** One of the organisation's deal stage keys: a move on the board. */
  stage?: string;
  ownerStaffId?: number;
  /** The local midnight of the expected close day; null clears it. */
  expectedCloseAt?: number | null;
}

export type UpdateDealOutcome =
  /** `changed`: the fields that changed (none: the deal already was so, and nothing was written). */
  | { kind: 'updated'; deal: Deal; changed: string[] }
  | { kind: 'not_found' | 'unknown_stage' | 'bad_amount' | 'bad_currency' | 'bad_title' }
  | { kind: 'owner_out_of_reach' | 'owner_inactive' };

/**
 * Changes a deal whose customer the actor reaches: title, amount, currency, stage (with its win probability; won and
 * lost close the deal, any other stage reopens it), owner (staff the actor manages; a rep: themselves) or expected
 * close date. On the timeline (once per request `key`) and in the audit log with what changed from what; a patch
 * that changes nothing writes nothing, so a retried request is harmless.
 */
export async function updateDeal(
  deps: CoreDeps,
  actor: Actor,
  dealId: number,
  p: DealPatch,
  key: string,
): Promise<UpdateDealOutcome> {
  const { db, org } = deps;
  const deal = await findDeal(db, actor, dealId);
  if (!deal) return { kind: 'not_found' };
  const stage = p.stage === undefined ? undefined : org.dealStages.find((s) => s.key === p.stage);
  if (p.stage !== undefined && !stage) return { kind: 'unknown_stage' };
  if (p.amountMinor !== undefined && (!Number.isSafeInteger(p.amountMinor) || p.amountMinor < 0))
    return { kind: 'bad_amount' };
  if (p.currency !== undefined && !CURRENCY.test(p.currency)) return { kind: 'bad_currency' };
  const title = p.title?.trim();
  if (title !== undefined && (!title || [...title].length > MAX_DEAL_TITLE_CHARS))
    return { kind: 'bad_title' };
  if (p.ownerStaffId !== undefined && p.ownerStaffId !== deal.owner?.id) {
    const check = await ownerCheck(deps, actor, p.ownerStaffId);
    if (check !== 'ok') return { kind: check };
  }
  const now = deps.clock.now();
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set: Record<string, unknown> = {};
  const change = (field: string, column: keyof DealTable, from: unknown, to: unknown) => {
    if (to === undefined || to === from) return;
    changes[field] = { from, to };
    set[column] = to;
  };
  change('title', 'title', deal.title, title);
  change('amount', 'amount_minor', deal.amountMinor, p.amountMinor);
  change('currency', 'currency', deal.currency, p.currency);
  change('owner', 'owner_staff_id', deal.owner?.id ?? null, p.ownerStaffId);
  change('expectedCloseAt', 'expected_close_at', deal.expectedCloseAt, p.expectedCloseAt);
  if (stage && (stage.key !== deal.stage || stage.probability !== deal.probability)) {
    change('stage', 'stage', deal.stage, stage.key);
    change('probability', 'probability', deal.probability, stage.probability);
    const closed = closesDeal(stage.probability);
    // A deal stays closed at the moment it closed; moved back to an open stage it is open again.
    if (closed !== (deal.closedAt !== null)) set.closed_at = closed ? now : null;
  }
  const changed = Object.keys(changes);
  if (changed.length === 0) return { kind: 'updated', deal, changed };
  await db
    .updateTable('deals')
    .set({ ...(set as Updateable<DealTable>), updated_at: now })
    .where('id', '=', deal.id)
    .execute();
  await dealRecorded(
    deps,
    {
      actor,
      customerId: deal.customerId,
      dealId: deal.id,
      action: 'deal.updated',
      won: stage?.probability === 100 && deal.probability !== 100,
      detail: changes,
    },
    key,
  );
  const after = await findDeal(db, actor, deal.id);
  return { kind: 'updated', deal: after ?? deal, changed };
}
