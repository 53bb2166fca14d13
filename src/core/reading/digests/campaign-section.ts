import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundContent } from '../../ports/outbound.ts';
import { formatAmount } from '../../records/customers/amount.ts';
import { type CampaignReport, campaignReport, type GroupFigures } from '../evaluation/campaign-report.ts';
import { sourceReport } from '../evaluation/source-report.ts';
import type { DigestKind } from './render.ts';
import { customersIn, type DigestScope } from './scope.ts';

const DAY = 86_400_000;
const LISTED = 5;
/** Campaigns looked at: started within this long before the week (their windows may still be open). */
const LOOKBACK_MS = 180 * DAY;

/**
 * Adds the marketing section to a weekly report: the campaigns whose measuring window overlaps the week (reached,
 * replied, won against the comparison group) and the week's top sources of new customers, within the digest's
 * scope and in its language. Other digests, and a week with neither, are returned as they are.
 */
export async function withCampaignSection(
  deps: CoreDeps,
  content: OutboundContent,
  scope: DigestScope,
  lang: Lang,
  kind: DigestKind,
  from: number,
  to: number,
): Promise<OutboundContent> {
  if (kind !== 'weekly' && kind !== 'week') return content;
  const lines = await campaignSectionLines(deps, scope, lang, from, to);
  if (lines.length === 0) return content;
  const [heading, ...rest] = lines;
  const section = { heading: heading as string, text: rest.join('\n') };
  return {
    ...content,
    text: [content.text, heading, ...rest].join('\n'),
    ...(content.markdown !== undefined ? { markdown: [...content.markdown, section] } : {}),
    ...(content.card ? { card: { ...content.card, sections: [...content.card.sections, section] } } : {}),
  };
}

/** The section's heading and lines, or nothing when the week had no campaign and no new customer with a source. */
export async function campaignSectionLines(
  deps: CoreDeps,
  scope: DigestScope,
  lang: Lang,
  from: number,
  to: number,
): Promise<string[]> {
  const t = messages(lang).marketing;
  const within = await customersIn(deps.db, scope);
  const started = await deps.db
    .selectFrom('campaigns')
    .select(['id', 'started_at', 'window_days'])
    .where('started_at', 'is not', null)
    .where('started_at', '<', to)
    .where('started_at', '>=', from - LOOKBACK_MS)
    .orderBy('started_at', 'desc')
    .execute();
  const open = started
    .filter((c) => Number(c.started_at) + Number(c.window_days) * DAY >= from)
    .slice(0, LISTED);
  const reports: CampaignReport[] = [];
  for (const c of open) {
    const report = await campaignReport(deps, Number(c.id), to, within);
    if (report.segmentSize > 0) reports.push(report);
  }
  const sources = (await sourceReport(deps, { from, to, within })).sources.slice(0, LISTED);
  if (reports.length === 0 && sources.length === 0) return [];
  const pct = (share: number) => `${Math.round(share * 100)}%`;
  const money = (minor: number) => (minor ? ` ¥${formatAmount(minor)}` : '');
  const group = (g: GroupFigures) => ({
    customers: g.customers,
    replied: g.replied,
    rate: pct(g.replyRate),
    won: g.dealsWon,
  });
  const lines = [t.heading];
  for (const r of reports) {
    const won = money(r.reached.wonAmountMinor);
    lines.push(`  ${t.campaign(r.campaign.name, group(r.reached), won, group(r.comparison))}`);
  }
  if (sources.length > 0) {
    lines.push(`  ${t.sources}`);
    for (const s of sources) {
      const label = s.name ? `${s.name} (${s.code})` : s.code;
      lines.push(`    ${t.source(label, s.newCustomers, s.replied, s.dealsWon, money(s.wonAmountMinor))}`);
    }
  }
  return lines;
}
