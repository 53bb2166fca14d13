import { formatRate } from './metrics.ts';
import type { Score } from './score.ts';

/** One score as the table `npm run eval` prints: per tag precision/recall [95% Wilson]/F1, then the totals. */
export function scoreLines(title: string, s: Score): string[] {
  return [
    `== ${title}: ${s.messages} messages ==`,
    'tag        label               n   precision [95%]    recall [95%]       F1',
    ...s.tags.map(
      (t) =>
        `${t.tag.padEnd(6, '　')} ${t.label.padEnd(18)} ${String(t.support).padStart(4)}   ${formatRate(t.precision)}  ${formatRate(t.recall)}  ${t.f1.toFixed(2)}`,
    ),
    `micro: precision ${formatRate(s.micro.precision)}, recall ${formatRate(s.micro.recall)}, F1 ${s.micro.f1.toFixed(2)}`,
    `macro (tags with examples): precision ${s.macro.precision.toFixed(2)}, recall ${s.macro.recall.toFixed(2)}, F1 ${s.macro.f1.toFixed(2)}; exactly right: ${(s.exactShare * 100).toFixed(0)}%`,
    `alerts at once: precision ${formatRate(s.alerts.precision)}, recall ${formatRate(s.alerts.recall)}; owner pings per 100 messages: ${s.pingsPer100.toFixed(1)} (every label found exactly: ${s.labelPingsPer100.toFixed(1)}; needless: ${s.needlessPingsPer100.toFixed(1)})`,
  ];
}
