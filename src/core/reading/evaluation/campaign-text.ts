import { type Lang, lookup, messages } from '../../kernel/i18n/index.ts';
import { formatAmount } from '../../records/customers/amount.ts';
import type { CampaignReport, GroupFigures } from './campaign-report.ts';

const pct = (share: number) => `${Math.round(share * 100)}%`;
const points = (share: number) => {
  const p = Math.round(share * 100);
  return `${p > 0 ? '+' : ''}${p}`;
};

/**
 * A campaign's report for a chat (what `/campaign 活动 <name>` shows), compact, in the reader's language: the
 * segment and who was reached, then replies, stage moves and won deals of the reached against the comparison group.
 */
export function campaignReportText(report: CampaignReport, lang: Lang): string {
  const m = messages(lang);
  const t = m.campaignReport;
  const c = report.campaign;
  const status = lookup(t.statuses, c.status) ?? c.status;
  const skipped = Object.entries(report.skipped.byReason)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${lookup(t.reasons, reason) ?? reason} ${n}`)
    .join(m.listSep);
  const r = report.reached;
  const k = report.comparison;
  const window =
    c.startedAt === null ? t.windowNotStarted(c.windowDays) : t.window(c.windowDays, report.daysMeasured);
  const extra = [
    report.pending ? t.pending(report.pending) : '',
    report.failed ? t.failed(report.failed) : '',
    report.cancelled ? t.cancelled(report.cancelled) : '',
  ].filter(Boolean);
  const lines = [
    t.title(c.name, status, window),
    t.reach({
      size: report.segmentSize,
      reached: r.customers,
      delivered: r.delivered,
      holdout: report.holdout,
      skipped: report.skipped.total,
      skippedBy: skipped,
      extra,
    }),
    groupLine(lang, t.reached, r),
    groupLine(lang, t.comparison, k),
  ];
  if (r.customers > 0 && k.customers > 0)
    lines.push(t.difference(points(report.difference.replyRate), points(report.difference.wonRate)));
  return lines.join('\n');
}

function groupLine(lang: Lang, label: string, g: GroupFigures): string {
  return messages(lang).campaignReport.group(label, {
    customers: g.customers,
    replied: g.replied,
    replyRate: pct(g.replyRate),
    stageMoved: g.stageMoved,
    won: g.dealsWon,
    amount: g.wonAmountMinor ? ` ¥${formatAmount(g.wonAmountMinor)}` : '',
    wonRate: pct(g.wonRate),
  });
}
