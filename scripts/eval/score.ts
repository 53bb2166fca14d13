import { ALERT_WORTHY, type EvalMessage, GOLD_LABELS, TAG_OF } from './data.ts';
import { type Counts, count, emptyCounts, f1, precision, type Rate, recall } from './metrics.ts';

/** What a tagger made of one message: the tags it gave, the alerts that interrupt the owner at once, every ping. */
export interface Prediction {
  tags: ReadonlySet<string>;
  /** Alerts sent at once (complaint, refund, anger, urgency, churn). */
  atOnce: number;
  /** Every message to the owner this message causes (at-once alerts and hot-lead pings). */
  pings: number;
}

export interface TagScore {
  label: string;
  tag: string;
  support: number;
  counts: Counts;
  precision: Rate;
  recall: Rate;
  f1: number;
}

export interface Score {
  messages: number;
  tags: TagScore[];
  micro: { precision: Rate; recall: Rate; f1: number };
  /** Averages over tags with gold examples in the set. */
  macro: { precision: number; recall: number; f1: number };
  exactShare: number;
  alerts: { counts: Counts; precision: Rate; recall: Rate };
  pingsPer100: number;
  /** The pings per 100 messages a tagger that found every label exactly would cause: the floor for this set. */
  labelPingsPer100: number;
  /** Pings per 100 messages whose cause the message does not carry: an alert on a message with no alert-worthy label,
   * a do-not-contact proposal on one that asks nothing of the kind. What makes an owner stop trusting alerts. */
  needlessPingsPer100: number;
}

/** Scores predictions against the settled labels, tag by tag (labels mapped to tags by meaning, see TAG_OF). */
export function score(messages: readonly EvalMessage[], predict: (m: EvalMessage) => Prediction): Score {
  const scored = GOLD_LABELS.flatMap((label) => {
    const tag = TAG_OF[label];
    return tag ? [{ label, tag, counts: emptyCounts(), support: 0 }] : [];
  });
  const micro = emptyCounts();
  const alerts = emptyCounts();
  let exact = 0;
  let pings = 0;
  let labelPings = 0;
  let needlessPings = 0;
  for (const m of messages) {
    const p = predict(m);
    let allRight = true;
    for (const s of scored) {
      const gold = m.labels.includes(s.label);
      const predicted = p.tags.has(s.tag);
      if (gold) s.support++;
      count(s.counts, gold, predicted);
      count(micro, gold, predicted);
      if (gold !== predicted) allRight = false;
    }
    if (allRight) exact++;
    count(alerts, alertWorthy(m), p.atOnce > 0);
    pings += p.pings;
    labelPings += (alertWorthy(m) ? 1 : 0) + (m.labels.includes('stop_contact') ? 1 : 0);
    const alerted = p.atOnce > 0 ? 1 : 0;
    needlessPings +=
      (alerted && !alertWorthy(m) ? 1 : 0) + (m.labels.includes('stop_contact') ? 0 : p.pings - alerted);
  }
  const tags = scored.map((s) => ({
    ...s,
    precision: precision(s.counts),
    recall: recall(s.counts),
    f1: f1(s.counts),
  }));
  const withSupport = tags.filter((t) => t.support > 0);
  const mean = (values: number[]) =>
    values.length ? values.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0) / values.length : 0;
  return {
    messages: messages.length,
    tags,
    micro: { precision: precision(micro), recall: recall(micro), f1: f1(micro) },
    macro: {
      precision: mean(withSupport.map((t) => t.precision.value)),
      recall: mean(withSupport.map((t) => t.recall.value)),
      f1: mean(withSupport.map((t) => t.f1)),
    },
    exactShare: messages.length ? exact / messages.length : 0,
    alerts: { counts: alerts, precision: precision(alerts), recall: recall(alerts) },
    pingsPer100: messages.length ? (pings * 100) / messages.length : 0,
    labelPingsPer100: messages.length ? (labelPings * 100) / messages.length : 0,
    needlessPingsPer100: messages.length ? (needlessPings * 100) / messages.length : 0,
  };
}

const alertWorthy = (m: EvalMessage) => m.labels.some((l) => ALERT_WORTHY.has(l));
