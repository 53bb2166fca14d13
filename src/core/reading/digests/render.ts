import { type Lang, messages } from '../../kernel/i18n/index.ts';
import { maskText } from '../../kernel/permissions/mask.ts';
import type { OrgSettings } from '../../kernel/runtime.ts';
import type { DigestChartData } from '../../ports/charts.ts';
import type { Card, OutboundContent, TextSection } from '../../ports/outbound.ts';
import { formatAmount } from '../../records/customers/amount.ts';
import { stageName } from '../../records/customers/stages.ts';
import type { DigestFacts } from './facts.ts';

export type DigestKind = 'daily' | 'weekly' | 'week' | 'month';

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
  const t = messages(lang).digest;
  const more = (total: number, shown: number) => (total > shown ? [`  ${t.more(total - shown)}`] : []);
  const sections: Array<{ heading: string; lines: string[] }> = [];
  const who = (c: { id: number; name: string }) => `#${c.id} ${maskText(c.name)}`;
  const overview = [
    `${t.newCustomers}: ${f.newCustomers.total}${f.newCustomers.total ? ` (${f.newCustomers.bySource.map((s) => `${s.source} ${s.count}`).join(', ')})` : ''}`,
    t.messages(f.messages.inbound, f.messages.outbound),
  ];
  if (f.duplicates) overview.push(`${t.duplicates}: ${f.duplicates} (/dupes)`);
  sections.push({ heading: t.overview, lines: overview });
  sections.push({
    heading: `${t.waiting}: ${f.waiting.count}${f.waiting.count ? t.waitingDetail(f.waiting.overSla, duration(f.waiting.longestMs, lang)) : ''}`,
    lines: [
      ...f.waiting.top.map((w) => `  ${who(w)} · ${duration(w.waitingMs, lang)}`),
      ...more(f.waiting.count, f.waiting.top.length),
    ],
  });
  sections.push({
    heading: `${t.hotLeads}: ${f.hotLeads.count}`,
    lines: [...f.hotLeads.top.map((c) => `  ${who(c)}`), ...more(f.hotLeads.count, f.hotLeads.top.length)],
  });
  sections.push({
    heading: `${t.stale(org.staleDays)}: ${f.stale.count}`,
    lines: [...f.stale.top.map((c) => `  ${who(c)}`), ...more(f.stale.count, f.stale.top.length)],
  });
  sections.push({
    heading: `${t.churn}: ${f.churn.count}`,
    lines: [...f.churn.top.map((c) => `  ${who(c)} · ${c.risk}`), ...more(f.churn.count, f.churn.top.length)],
  });
  sections.push({
    heading: t.funnel,
    lines: f.funnel.map(
      (s) =>
        `  ${stageName(org.stages, s.stage, lang)} ${s.count}${s.change ? ` (${s.change > 0 ? '+' : ''}${s.change})` : ''}${s.openDealsMinor ? ` · ${t.openDeals} ${formatAmount(s.openDealsMinor)}` : ''}`,
    ),
  });
  if (f.reps.length > 0) {
    sections.push({
      heading: t.reps,
      lines: f.reps.map((r) => {
        const median = r.medianFirstResponseMs !== null ? duration(r.medianFirstResponseMs, lang) : null;
        return `  ${t.rep({ name: r.name, replies: r.replies, notes: r.notes, median })}`;
      }),
    });
  }
  const title = t.titles[kind];
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
  const t = messages(lang).chart;
  return {
    title: t.title,
    funnel: {
      title: t.funnel,
      stages: f.funnel.map((s) => ({ label: stageName(org.stages, s.stage, lang), count: s.count })),
    },
    trend: {
      title: t.trend,
      days: f.trend.map((d) => d.day),
      series: [
        { label: t.newCustomers, values: f.trend.map((d) => d.newCustomers) },
        { label: t.messagesIn, values: f.trend.map((d) => d.inbound) },
        { label: t.messagesOut, values: f.trend.map((d) => d.outbound) },
      ],
    },
  };
}

function duration(ms: number, lang: Lang): string {
  const t = messages(lang).digest;
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return t.minutes(minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t.hours(hours);
  return t.days(Math.floor(hours / 24));
}
