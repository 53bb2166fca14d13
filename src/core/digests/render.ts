import { formatAmount } from '../customers/amount.ts';
import { stageName } from '../customers/stages.ts';
import type { Lang } from '../i18n.ts';
import type { Card, OutboundContent, TextSection } from '../outbound.ts';
import { maskText } from '../permissions/mask.ts';
import type { OrgSettings } from '../runtime.ts';
import type { DigestChartData } from './chart.ts';
import type { DigestFacts } from './facts.ts';

export type DigestKind = 'daily' | 'weekly' | 'week' | 'month';

const titles: Record<DigestKind, Record<Lang, string>> = {
  daily: { zh: '📊 客户日报（近24小时）', en: '📊 Customer digest (last 24 hours)' },
  weekly: { zh: '📊 客户周报（近7天）', en: '📊 Weekly customer report (last 7 days)' },
  week: { zh: '📊 客户报表（近7天）', en: '📊 Customer report (last 7 days)' },
  month: { zh: '📊 客户报表（近30天）', en: '📊 Customer report (last 30 days)' },
};

/**
 * A digest as text (always present), markdown and a card, in the reader's language; every customer by `#id`. Lists
 * show the first five and say how many more. No phone or email ever appears: a group reads it, so a customer's
 * name (theirs to choose) is masked as a rep sees it.
 */
export function renderDigest(
  f: DigestFacts,
  lang: Lang,
  org: OrgSettings,
  kind: DigestKind,
  summary?: string,
): OutboundContent {
  const zh = lang === 'zh';
  const t = (a: string, b: string) => (zh ? a : b);
  const more = (total: number, shown: number) =>
    total > shown ? [`  ${t(`……另有 ${total - shown} 位`, `…and ${total - shown} more`)}`] : [];
  const sections: Array<{ heading: string; lines: string[] }> = [];
  const who = (c: { id: number; name: string }) => `#${c.id} ${maskText(c.name)}`;
  const overview = [
    `${t('新客户', 'New customers')}: ${f.newCustomers.total}${f.newCustomers.total ? ` (${f.newCustomers.bySource.map((s) => `${s.source} ${s.count}`).join(', ')})` : ''}`,
    t(
      `消息：收到 ${f.messages.inbound}，回复 ${f.messages.outbound}`,
      `Messages: ${f.messages.inbound} in, ${f.messages.outbound} out`,
    ),
  ];
  if (f.duplicates)
    overview.push(`${t('待处理的重复客户建议', 'Open duplicate suggestions')}: ${f.duplicates} (/dupes)`);
  sections.push({ heading: t('概览', 'Overview'), lines: overview });
  sections.push({
    heading: `${t('待回复客户', 'Waiting for a reply')}: ${f.waiting.count}${f.waiting.count ? t(`，超时 ${f.waiting.overSla}，最久 ${duration(f.waiting.longestMs, lang)}`, `, ${f.waiting.overSla} past the SLA, longest ${duration(f.waiting.longestMs, lang)}`) : ''}`,
    lines: [
      ...f.waiting.top.map((w) => `  ${who(w)} · ${duration(w.waitingMs, lang)}`),
      ...more(f.waiting.count, f.waiting.top.length),
    ],
  });
  sections.push({
    heading: `${t('高意向客户', 'Hot leads')}: ${f.hotLeads.count}`,
    lines: [...f.hotLeads.top.map((c) => `  ${who(c)}`), ...more(f.hotLeads.count, f.hotLeads.top.length)],
  });
  sections.push({
    heading: `${t(`超过${org.staleDays}天未跟进`, `Not contacted for ${org.staleDays}+ days`)}: ${f.stale.count}`,
    lines: [...f.stale.top.map((c) => `  ${who(c)}`), ...more(f.stale.count, f.stale.top.length)],
  });
  sections.push({
    heading: `${t('流失风险客户', 'Churn risks')}: ${f.churn.count}`,
    lines: [...f.churn.top.map((c) => `  ${who(c)} · ${c.risk}`), ...more(f.churn.count, f.churn.top.length)],
  });
  sections.push({
    heading: t('漏斗', 'Funnel'),
    lines: f.funnel.map(
      (s) =>
        `  ${stageName(org.stages, s.stage, lang)} ${s.count}${s.change ? ` (${s.change > 0 ? '+' : ''}${s.change})` : ''}${s.openDealsMinor ? ` · ${t('商机', 'open deals')} ${formatAmount(s.openDealsMinor)}` : ''}`,
    ),
  });
  if (f.reps.length > 0) {
    sections.push({
      heading: t('销售动态', 'Rep activity'),
      lines: f.reps.map((r) =>
        t(
          `  ${r.name}：回复 ${r.replies}，跟进 ${r.notes}${r.medianFirstResponseMs !== null ? `，首次响应中位 ${duration(r.medianFirstResponseMs, lang)}` : ''}`,
          `  ${r.name}: ${r.replies} replies, ${r.notes} notes${r.medianFirstResponseMs !== null ? `, median first response ${duration(r.medianFirstResponseMs, lang)}` : ''}`,
        ),
      ),
    });
  }
  const title = titles[kind][lang];
  const summaryLines = summary ? [summary.trim()] : [];
  const text = [title, ...summaryLines, ...sections.flatMap((s) => [s.heading, ...s.lines])].join('\n');
  const summaryText = summaryLines.map((text) => ({ text }));
  const bodies = sections.map((s) => ({ heading: s.heading, text: s.lines.join('\n') }));
  const markdown: TextSection[] = [
    { heading: title, text: '' },
    ...summaryText.map((s) => ({ ...s, quote: true })),
    ...bodies,
  ];
  const card: Card = { title, fields: [], sections: [...summaryText, ...bodies], buttons: [] };
  return { text, markdown, card };
}

/** The chart's data: the funnel now and the last 7 days. */
export function digestChartData(f: DigestFacts, lang: Lang, org: OrgSettings): DigestChartData {
  const zh = lang === 'zh';
  return {
    title: zh ? '客户漏斗与近7天趋势' : 'Funnel and the last 7 days',
    funnel: {
      title: zh ? '客户漏斗' : 'Funnel',
      stages: f.funnel.map((s) => ({ label: stageName(org.stages, s.stage, lang), count: s.count })),
    },
    trend: {
      title: zh ? '近7天趋势' : 'Last 7 days',
      days: f.trend.map((d) => d.day),
      series: [
        { label: zh ? '新客户' : 'New customers', values: f.trend.map((d) => d.newCustomers) },
        { label: zh ? '收到消息' : 'Messages in', values: f.trend.map((d) => d.inbound) },
        { label: zh ? '回复' : 'Messages out', values: f.trend.map((d) => d.outbound) },
      ],
    },
  };
}

function duration(ms: number, lang: Lang): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return lang === 'zh' ? `${minutes}分钟` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return lang === 'zh' ? `${hours}小时` : `${hours} h`;
  return lang === 'zh' ? `${Math.floor(hours / 24)}天` : `${Math.floor(hours / 24)} days`;
}
