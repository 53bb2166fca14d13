import type { Signal, TagHit } from './rules.ts';
export const ALERTING_SIGNALS: ReadonlySet<Signal> = new Set<Signal>([
  'complaint',
  'refund',
  'negative',
  'high_intent',
  'urgent',
]);
export function alertsOf(hits: readonly TagHit[]): Array<{ signal: Signal; ruleId: string }> {
  const raised = new Map<Signal, string>();
  for (const hit of hits)
    for (const signal of hit.signals)
      if (ALERTING_SIGNALS.has(signal) && !raised.has(signal)) raised.set(signal, hit.ruleId);
  return [...raised].map(([signal, ruleId]) => ({ signal, ruleId }));
}
