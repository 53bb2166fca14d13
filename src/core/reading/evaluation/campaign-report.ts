import { sql } from 'kysely';
import type { CampaignStatus } from '../../../../db/schema.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type CustomerCondition, type OutcomeFigures, outcomeFigures, rate } from './window-figures.ts';

export { campaignReportText } from './campaign-text.ts';
export type { CustomerCondition } from './window-figures.ts';

const DAY = 86_400_000;

/** A group's figures with its size and rates (shares 0–1). */
export type GroupFigures = OutcomeFigures & { customers: number; replyRate: number; wonRate: number };

/**
 * What a campaign achieved (营销效果评估), against who in its segment it did not reach.
 * - reached: recipients queued, sent or delivered; each is measured from their own send (`sent_at`, else
 *   `queued_at`) over `window_days`;
 * - comparison: the segment's members not reached — the holdout and the skipped (do-not-contact, frequency cap, no
 *   channel…) — measured from the campaign's start over the same window;
 * - difference: reached minus comparison, in shares (0.1 = ten percentage points).
 */
export interface CampaignReport {
  campaign: {
    id: number;
    name: string;
    status: CampaignStatus;
    startedAt: number | null;
    finishedAt: number | null;
    windowDays: number;
    holdoutPct: number;
  };
  /** When the figures were read, and how many days of the window had passed since the start (at most windowDays). */
  measuredAt: number;
  daysMeasured: number;
  /** Members of the segment at launch (every recipient row). */
  segmentSize: number;
  holdout: number;
  skipped: { total: number; byReason: Record<string, number> };
  /** Not sent yet, failed for good, or cancelled before sending. */
  pending: number;
  failed: number;
  cancelled: number;
  reached: GroupFigures & { delivered: number };
  comparison: GroupFigures;
  difference: { replyRate: number; wonRate: number };
}

const REACHED = ['queued', 'sent', 'delivered'] as const;
const NOT_REACHED = ['holdout', 'skipped'] as const;

/**
 * The campaign's report as of `now`; `within` limits it to a data scope (a manager's team, a digest's scope).
 * Throws for an unknown campaign (callers look it up first).
 */
export async function campaignReport(
  deps: CoreDeps,
  campaignId: number,
  now: number,
  within: CustomerCondition | null = null,
): Promise<CampaignReport> {
  const { db } = deps;
  const c = await db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
  if (!c) throw new Error(`no campaign ${campaignId}`);
  const windowMs = Number(c.window_days) * DAY;
  let counts = db
    .selectFrom('campaign_recipients as r')
    .innerJoin('customers', 'customers.id', 'r.customer_id')
    .where('r.campaign_id', '=', campaignId)
    .select(['r.status', 'r.reason', 'r.route', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['r.status', 'r.reason', 'r.route']);
  if (within) counts = counts.where(within);
  const byStatus = new Map<string, number>();
  const skippedBy: Record<string, number> = {};
  let delivered = 0;
  let segmentSize = 0;
  for (const row of await counts.execute()) {
    const n = Number(row.n);
    segmentSize += n;
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + n);
    if (row.status === 'skipped')
      skippedBy[row.reason ?? 'other'] = (skippedBy[row.reason ?? 'other'] ?? 0) + n;
    // A chat send the platform accepted is delivered; a WeCom task only once the send results say so.
    if (row.status === 'delivered' || (row.status === 'sent' && row.route !== 'wecom_template'))
      delivered += n;
  }
  const count = (...statuses: string[]) => statuses.reduce((sum, s) => sum + (byStatus.get(s) ?? 0), 0);
  const reachedCount = count(...REACHED);
  const comparisonCount = count(...NOT_REACHED);
  const reached = await outcomeFigures(
    deps,
    campaignId,
    [...REACHED],
    {
      start: sql<number>`coalesce(r.sent_at, r.queued_at)`,
      end: sql<number>`coalesce(r.sent_at, r.queued_at) + ${windowMs}`,
    },
    within,
  );
  const startedAt = c.started_at === null ? null : Number(c.started_at);
  const comparison =
    startedAt === null
      ? { replied: 0, stageMoved: 0, dealsWon: 0, wonAmountMinor: 0, wonCustomers: 0 }
      : await outcomeFigures(
          deps,
          campaignId,
          [...NOT_REACHED],
          { start: sql<number>`${startedAt}`, end: sql<number>`${startedAt + windowMs}` },
          within,
        );
  const group = (f: OutcomeFigures, customers: number): GroupFigures => ({
    ...f,
    customers,
    replyRate: rate(f.replied, customers),
    wonRate: rate(f.wonCustomers, customers),
  });
  const r = group(reached, reachedCount);
  const k = group(comparison, comparisonCount);
  return {
    campaign: {
      id: Number(c.id),
      name: c.name,
      status: c.status,
      startedAt,
      finishedAt: c.finished_at === null ? null : Number(c.finished_at),
      windowDays: Number(c.window_days),
      holdoutPct: Number(c.holdout_pct),
    },
    measuredAt: now,
    daysMeasured:
      startedAt === null
        ? 0
        : Math.min(Number(c.window_days), Math.max(0, Math.floor((now - startedAt) / DAY))),
    segmentSize,
    holdout: count('holdout'),
    skipped: { total: count('skipped'), byReason: skippedBy },
    pending: count('pending'),
    failed: count('failed'),
    cancelled: count('cancelled'),
    reached: { ...r, delivered },
    comparison: k,
    difference: { replyRate: r.replyRate - k.replyRate, wonRate: r.wonRate - k.wonRate },
  };
}
