import { preparedQuery } from '../../../../db/prepared.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { recordCustomerEvent } from '../timeline/customer-events.ts';
import { type CustomerAtHandReader, customerAtHandReader } from './at-hand.ts';

/**
 * Moves a customer to a stage the signals or deals suggest (a quote asked → 意向, a deal won → 成交, another → 复购),
 * unless a person set the stage: their word wins. Only forward along the funnel, or out of its last stage (流失, a
 * customer coming back). Returns whether the stage changed.
 */
export async function suggestStage(
  deps: CoreDeps,
  customerId: number,
  stage: string,
  key: string,
  customer: CustomerAtHandReader = customerAtHandReader(deps.db, customerId),
): Promise<boolean> {
  const { db, clock, org } = deps;
  const order = org.stages.map((s) => s.key);
  const to = order.indexOf(stage);
  if (to < 0) return false;
  const c = await customer();
  if (!c || c.stage_source === 'manual' || c.stage === stage) return false;
  const from = order.indexOf(c.stage);
  const leavingLast = from === order.length - 1;
  if (from >= 0 && to < from && !leavingLast) return false;
  const now = clock.now();
  const moved = await automaticStageMove.changed(db, { customerId, from: c.stage, to: stage, at: now });
  if (!moved) return false;
  await recordCustomerEvent(db, {
    customerId,
    key,
    at: now,
    kind: 'stage_suggested',
    detail: { from: c.stage, to: stage },
  });
  return true;
}

/** Moves a customer whose stage nobody set by hand from one stage to another, unless it changed meanwhile. */
const automaticStageMove = preparedQuery(
  (db, v: { customerId: number; from: string; to: string; at: number }) =>
    db
      .updateTable('customers')
      .set({ stage: v.to, updated_at: v.at })
      .where('id', '=', v.customerId)
      .where('stage', '=', v.from)
      .where('stage_source', '=', 'auto'),
);
