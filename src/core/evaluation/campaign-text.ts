import { formatAmount } from '../customers/amount.ts';
import type { Lang } from '../i18n.ts';
import type { CampaignReport, GroupFigures } from './campaign-report.ts';

const statusNames: Record<string, [string, string]> = {
  draft: ['草稿', 'draft'],
  scheduled: ['已排期', 'scheduled'],
  running: ['发送中', 'sending'],
  paused: ['已暂停', 'paused'],
  cancelled: ['已取消', 'cancelled'],
  done: ['已发完', 'sent'],
};

const reasonNames: Record<string, [string, string]> = {
  do_not_contact: ['免打扰', 'do not contact'],
  frequency_cap: ['频次上限', 'frequency cap'],
  no_channel: ['无可用渠道', 'no channel'],
  outside_window: ['超出平台时限', 'outside the platform window'],
};

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
  const zh = lang === 'zh';
  const i = zh ? 0 : 1;
  const c = report.campaign;
  const status = statusNames[c.status]?.[i] ?? c.status;
  const skipped = Object.entries(report.skipped.byReason)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${reasonNames[reason]?.[i] ?? reason} ${n}`)
    .join(zh ? '、' : ', ');
  const r = report.reached;
  const k = report.comparison;
  const window = zh
    ? c.startedAt === null
      ? `观察期 ${c.windowDays} 天（未开始）`
      : `观察期 ${c.windowDays} 天，已过 ${report.daysMeasured} 天`
    : c.startedAt === null
      ? `${c.windowDays}-day window (not started)`
      : `${c.windowDays}-day window, day ${report.daysMeasured}`;
  const extra = [
    report.pending ? (zh ? `待发 ${report.pending}` : `${report.pending} pending`) : '',
    report.failed ? (zh ? `失败 ${report.failed}` : `${report.failed} failed`) : '',
    report.cancelled ? (zh ? `取消 ${report.cancelled}` : `${report.cancelled} cancelled`) : '',
  ].filter(Boolean);
  const lines = [
    zh ? `📣 活动「${c.name}」· ${status} · ${window}` : `📣 Campaign "${c.name}" · ${status} · ${window}`,
    zh
      ? `名单 ${report.segmentSize}：触达 ${r.customers}（送达 ${r.delivered}）、对照留存 ${report.holdout}、跳过 ${report.skipped.total}${skipped ? `（${skipped}）` : ''}${extra.length ? `、${extra.join('、')}` : ''}`
      : `Segment ${report.segmentSize}: reached ${r.customers} (delivered ${r.delivered}), holdout ${report.holdout}, skipped ${report.skipped.total}${skipped ? ` (${skipped})` : ''}${extra.length ? `, ${extra.join(', ')}` : ''}`,
    groupLine(zh ? '触达组' : 'Reached', r, zh),
    groupLine(zh ? '对照组' : 'Comparison', k, zh),
  ];
  if (r.customers > 0 && k.customers > 0) {
    lines.push(
      zh
        ? `差异：回复率 ${points(report.difference.replyRate)} 个百分点，成交率 ${points(report.difference.wonRate)} 个百分点`
        : `Difference: reply rate ${points(report.difference.replyRate)} pts, won rate ${points(report.difference.wonRate)} pts`,
    );
  }
  return lines.join('\n');
}

function groupLine(label: string, g: GroupFigures, zh: boolean): string {
  const amount = g.wonAmountMinor ? ` ¥${formatAmount(g.wonAmountMinor)}` : '';
  return zh
    ? `${label} ${g.customers}：回复 ${g.replied}（${pct(g.replyRate)}）· 阶段推进 ${g.stageMoved} · 成交 ${g.dealsWon} 单${amount}（${pct(g.wonRate)}）`
    : `${label} ${g.customers}: replied ${g.replied} (${pct(g.replyRate)}) · stage moves ${g.stageMoved} · won ${g.dealsWon}${amount} (${pct(g.wonRate)})`;
}
