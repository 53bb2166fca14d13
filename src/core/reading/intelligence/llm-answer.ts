import { z } from 'zod';

const INTENTS = [
  'inquiry',
  'quote',
  'purchase',
  'contract',
  'delivery',
  'after_sales',
  'complaint',
  'refund',
  'chitchat',
  'other',
] as const;

/** What the model says about a burst, after checking: tags only from the allowlist, stage only a known one. */
export interface BurstReading {
  tags: string[];
  /** Tags the model named outside the allowlist, dropped (counted, never applied). */
  rejectedTags: number;
  intent: (typeof INTENTS)[number];
  sentiment: 'positive' | 'neutral' | 'negative';
  stage: string | null;
  summary: string;
}

const answerSchema = z.object({
  tags: z.array(z.string().max(50)).max(20),
  intent: z.enum(INTENTS).catch('other'),
  sentiment: z.enum(['positive', 'neutral', 'negative']).catch('neutral'),
  stage: z.string().max(30).nullable().catch(null),
  summary: z
    .string()
    .catch('')
    .transform((s) => s.replace(/\s+/g, ' ').trim().slice(0, 100)),
});

/**
 * Reads the model's JSON answer. Throws on anything that is not the expected object (the burst is retried later);
 * tags outside the allowlist and unknown stages are dropped, never applied.
 */
export function readModelAnswer(
  text: string | null,
  allowlist: ReadonlySet<string>,
  stages: readonly string[],
): BurstReading {
  const raw = (text ?? '').trim().replace(/^```(?:json)?\s*|\s*```$/g, '');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('the model did not answer JSON');
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) throw new Error('the model answer does not match the schema');
  const a = parsed.data;
  const tags = [...new Set(a.tags.map((t) => t.trim()))];
  const allowed = tags.filter((t) => allowlist.has(t));
  return {
    tags: allowed,
    rejectedTags: tags.length - allowed.length,
    intent: a.intent,
    sentiment: a.sentiment,
    stage: a.stage !== null && stages.includes(a.stage) ? a.stage : null,
    summary: a.summary,
  };
}

/** The alert causes a reading carries. */
export function readingSignals(r: BurstReading): Array<'complaint' | 'refund' | 'negative' | 'high_intent'> {
  const signals = new Set<'complaint' | 'refund' | 'negative' | 'high_intent'>();
  if (r.intent === 'complaint') signals.add('complaint');
  if (r.intent === 'refund') signals.add('refund');
  if (r.intent === 'quote' || r.intent === 'contract' || r.intent === 'purchase') signals.add('high_intent');
  if (r.sentiment === 'negative') signals.add('negative');
  return [...signals];
}
