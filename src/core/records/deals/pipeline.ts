import { sql } from 'kysely';
import type { Actor } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { scopedDealRows } from './deal-rows.ts';

/** Open deals of one stage (and win probability) in one currency. */
export interface PipelineStage {
  stage: string;
  probability: number;
  count: number;
  amountMinor: number;
  /** Σ amount × probability, in minor units (rounded to a whole one). */
  weightedMinor: number;
}

/** The forecast in one currency: amounts of different currencies are never added up. */
export interface PipelineCurrency {
  currency: string;
  count: number;
  amountMinor: number;
  /** Σ amount × probability over every open deal, rounded once (so it may differ from the stages' sum by a unit). */
  weightedMinor: number;
  /** In the organisation's stage order; stages no longer configured last. */
  stages: PipelineStage[];
}

/**
 * The weighted forecast of the open deals of the customers the actor reaches: per currency, and per stage in it, the
 * number of deals, their amount and Σ amount × win probability. Won and lost deals are closed and not in it.
 */
export async function dealPipeline(
  deps: CoreDeps,
  actor: Actor,
  f: { owner?: number | 'none'; closingBefore?: number } = {},
): Promise<PipelineCurrency[]> {
  let q = scopedDealRows(deps.db, actor)
    .clearSelect()
    .where('deals.closed_at', 'is', null)
    .select((eb) => [
      'deals.currency',
      'deals.stage',
      'deals.probability',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('deals.amount_minor').as('amount'),
      sql<number>`sum(${eb.ref('deals.amount_minor')} * ${eb.ref('deals.probability')})`.as('weighted'),
    ])
    .groupBy(['deals.currency', 'deals.stage', 'deals.probability']);
  if (f.owner === 'none') q = q.where('deals.owner_staff_id', 'is', null);
  else if (f.owner !== undefined) q = q.where('deals.owner_staff_id', '=', f.owner);
  if (f.closingBefore !== undefined) q = q.where('deals.expected_close_at', '<', f.closingBefore);
  const rows = await q.execute();
  const order = deps.org.dealStages.map((s) => s.key);
  const rank = (stage: string) => (order.includes(stage) ? order.indexOf(stage) : order.length);
  const byCurrency = new Map<string, { stages: PipelineStage[]; weightedPercent: number }>();
  for (const r of rows) {
    const entry = byCurrency.get(r.currency) ?? { stages: [], weightedPercent: 0 };
    const weightedPercent = Number(r.weighted);
    entry.weightedPercent += weightedPercent;
    entry.stages.push({
      stage: r.stage,
      probability: Number(r.probability),
      count: Number(r.n),
      amountMinor: Number(r.amount),
      weightedMinor: Math.round(weightedPercent / 100),
    });
    byCurrency.set(r.currency, entry);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, e]) => ({
      currency,
      count: e.stages.reduce((n, s) => n + s.count, 0),
      amountMinor: e.stages.reduce((n, s) => n + s.amountMinor, 0),
      weightedMinor: Math.round(e.weightedPercent / 100),
      stages: e.stages.sort(
        (a, b) =>
          rank(a.stage) - rank(b.stage) || a.stage.localeCompare(b.stage) || b.probability - a.probability,
      ),
    }));
}
