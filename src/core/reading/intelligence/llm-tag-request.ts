import { autoTagExamplesV1, autoTagV3, fillTemplate } from '../../../../prompts/index.ts';
import { dataFence } from '../../kernel/llm-fence.ts';
import { ALERTING_SIGNALS, alertPlan } from '../../kernel/tagging/alert-policy.ts';
import type { CompiledRules, Signal, TagHit } from '../../kernel/tagging/rules.ts';
import type { LlmMessage } from '../../ports/llm.ts';
import type { AlertCause } from './alerts.ts';
import { type BurstReading, readingSignals } from './llm-answer.ts';
import { maskSensitive } from './mask-text.ts';

/** The auto-tag prompt the app and `npm run eval -- --llm` both send (a new wording is a new version). */
export const AUTO_TAG_PROMPT = autoTagV3;

const CHARS_PER_MESSAGE = 500;

/**
 * A burst's messages as the model reads them, one line each: masked (phones, emails, ids) before they are cut, so a
 * number cut in half is never left to be recognised, with line breaks folded.
 */
export function burstTranscript(texts: readonly string[]): string {
  return texts
    .map((t) => `- ${maskSensitive(t).slice(0, CHARS_PER_MESSAGE).replace(/\s+/g, ' ')}`)
    .join('\n');
}

/** The prompt's labeled examples, one line each: `tags ⇐ message` (`—` for none), masked like customers' text. */
export function examplesText(): string {
  return autoTagExamplesV1.examples
    .map((e) => `${e.tags.length ? e.tags.join(', ') : '—'} ⇐ ${maskSensitive(e.text).replace(/\s+/g, ' ')}`)
    .join('\n');
}

/** One auto-tag call: the messages to send, and the text whose hash keys its cached answer. */
export interface AutoTagRequest {
  messages: LlmMessage[];
  /** Model, prompt version, the prompt with its examples (fence named `DATA`, as it is new each call), the transcript. */
  cacheText: string;
  version: string;
}

/**
 * The auto-tag call for a transcript (from `burstTranscript`): the prompt with the tag allowlist, the stages and the
 * labeled examples fenced as data in the system message, the customer's messages fenced in the user message. Used by
 * the app (`tagDueBursts`) and by the evaluation alike, so what is measured is what runs.
 */
export function autoTagRequest(input: {
  transcript: string;
  allowlist: readonly string[];
  stages: readonly string[];
  language: string;
  model: string;
}): AutoTagRequest {
  const values = {
    tags: input.allowlist.join(', '),
    stages: input.stages.join(', '),
    language: input.language,
  };
  const fence = dataFence();
  const examples = examplesText();
  const system = fillTemplate(AUTO_TAG_PROMPT.text, {
    ...values,
    fence: fence.name,
    examples: fence.wrap(examples),
  });
  const unfenced = fillTemplate(AUTO_TAG_PROMPT.text, {
    ...values,
    fence: 'DATA',
    examples: `<DATA>\n${examples}\n</DATA>`,
  });
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: fence.wrap(input.transcript) },
    ],
    cacheText: `${AUTO_TAG_PROMPT.version}\n${input.model}\n${unfenced}\n${input.transcript}`,
    version: AUTO_TAG_PROMPT.version,
  };
}

/**
 * The model's reading as tag hits, so the one alert policy (`alertPlan`) reads rules and model alike: its intent and
 * sentiment (complaint, refund, negative, high intent) and the signals the rule set gives each of its tags (churn,
 * urgency…). A model never proposes do-not-contact: that stays with the rules and the owner.
 */
export function modelHits(reading: BurstReading, rules: CompiledRules): TagHit[] {
  const signals = new Set<Signal>(readingSignals(reading));
  for (const rule of rules.rules)
    if (reading.tags.includes(rule.tag)) for (const s of rule.signals) signals.add(s);
  signals.delete('stop_contact');
  return [
    ...reading.tags.map((tag) => ({ tag, ruleId: 'llm', confidence: 1, signals: [] as Signal[] })),
    ...[...signals].map((s) => ({ tag: '', ruleId: 'llm', confidence: 1, signals: [s] })),
  ];
}

/**
 * The alert causes a model reading adds to those already raised for the burst (by the rules when the messages came):
 * at-once causes not raised yet (no "unhappy" beside a complaint, as `alertPlan` does), and whether it is a hot lead.
 */
export function modelCauses(
  reading: BurstReading,
  rules: CompiledRules,
  raised: ReadonlySet<string>,
): { atOnce: Array<Signal & AlertCause>; hotLead: boolean } {
  const plan = alertPlan(modelHits(reading, rules));
  const atOnce = plan.atOnce
    .map((a) => a.signal)
    .filter((s): s is Signal & AlertCause => !raised.has(s) && ALERTING_SIGNALS.has(s));
  return {
    atOnce: raised.has('complaint') ? atOnce.filter((s) => s !== 'negative') : atOnce,
    hotLead: plan.hotLead !== null,
  };
}

/** What rules and model give a message together. */
export interface CombinedReading {
  /** The rules' tags with the model's added (the model never takes a rule's tag away). */
  tags: Set<string>;
  /** At-once alert causes from either. */
  atOnce: Signal[];
  /** Messages the owner gets at once: the rules' alert and proposal, then one more alert if the model adds causes. */
  pings: number;
}

/**
 * Rules and model combined, as the app applies them when an LLM is configured: the rules tag and alert at once when a
 * message arrives; the model's allowlisted tags are added after, and its alert names only causes the rules did not
 * raise (`modelCauses`; `raiseAlerts` also keeps one per customer, cause and burst).
 */
export function combineReadings(
  ruleHits: readonly TagHit[],
  reading: BurstReading | null,
  rules: CompiledRules,
): CombinedReading {
  const byRules = alertPlan(ruleHits);
  const raised = new Set<string>(byRules.atOnce.map((a) => a.signal));
  const added = reading ? modelCauses(reading, rules, raised).atOnce : [];
  const tags = new Set(ruleHits.map((h) => h.tag));
  for (const t of reading?.tags ?? []) tags.add(t);
  return {
    tags,
    atOnce: [...byRules.atOnce.map((a) => a.signal), ...added],
    pings: (raised.size > 0 ? 1 : 0) + (byRules.stopContact ? 1 : 0) + (added.length > 0 ? 1 : 0),
  };
}

/** Hex SHA-256 of a text (the cache key of an answer). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, '0')).join('');
}
