import type { Signal, TagHit } from './rules.ts';

/** Signals worth interrupting a person for at once: one message per customer message, naming every cause. */
export const AT_ONCE_SIGNALS: ReadonlySet<Signal> = new Set<Signal>([
  'complaint',
  'refund',
  'churn',
  'negative',
  'urgent',
]);

/** The same set under its earlier name (readers that only ask "does this alert?"). */
export const ALERTING_SIGNALS = AT_ONCE_SIGNALS;

/** What a message's tag hits ask of its owner: at-once alert causes, a hot lead, a do-not-contact proposal. */
export interface AlertPlan {
  /** Causes of the one alert sent at once, in a fixed order, each with the first rule that gave it. */
  atOnce: Array<{ signal: Signal; ruleId: string }>;
  /** The rule that made it a hot lead (listed, and pinged in a batch later), or null. */
  hotLead: string | null;
  /** The rule that heard "stop contacting me" (the owner is asked whether to set do-not-contact), or null. */
  stopContact: string | null;
}

/**
 * What one message raises, by the signals of its tag hits at or above `minConfidence` (`ALERT_MIN_CONFIDENCE`).
 * Shared by the live path (`readCustomerMessage`) and the evaluation (`npm run eval`), so what is measured is what
 * owners get.
 */
export function alertPlan(hits: readonly TagHit[], minConfidence = 0): AlertPlan {
  const raised = new Map<Signal, string>();
  for (const hit of hits) {
    if (hit.confidence < minConfidence) continue;
    for (const signal of hit.signals) if (!raised.has(signal)) raised.set(signal, hit.ruleId);
  }
  // A complaint is already news of an unhappy customer: naming "unhappy" beside it would say it twice.
  if (raised.has('complaint')) raised.delete('negative');
  const atOnce = [...AT_ONCE_SIGNALS]
    .filter((s) => raised.has(s))
    .map((signal) => ({ signal, ruleId: raised.get(signal) as string }));
  return {
    atOnce,
    hotLead: raised.get('high_intent') ?? null,
    stopContact: raised.get('stop_contact') ?? null,
  };
}

/** The at-once alert causes of one message (every one is named in the same single message). */
export function alertsOf(
  hits: readonly TagHit[],
  minConfidence = 0,
): Array<{ signal: Signal; ruleId: string }> {
  return alertPlan(hits, minConfidence).atOnce;
}

/**
 * Messages the owner gets at once for one customer message: one alert however many causes, one do-not-contact
 * proposal. Hot leads are not counted: they wait for the batched ping (at most one per `HOT_LEAD_PING_HOURS`).
 */
export function ownerPingsOf(hits: readonly TagHit[], minConfidence = 0): number {
  const plan = alertPlan(hits, minConfidence);
  return (plan.atOnce.length > 0 ? 1 : 0) + (plan.stopContact ? 1 : 0);
}
