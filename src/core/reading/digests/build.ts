import { digestSummaryV2, fillTemplate } from '../../../../prompts/index.ts';
import { type Lang, promptLanguageName } from '../../kernel/i18n/index.ts';
import { dataFence } from '../../kernel/llm-fence.ts';
import { llmErrorKind, recordLlmCall } from '../../kernel/llm-usage.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundContent } from '../../ports/outbound.ts';
import { withCampaignSection } from './campaign-section.ts';
import { type DigestFacts, digestFacts } from './facts.ts';
import { type DigestKind, digestChartData, renderDigest } from './render.ts';
import type { DigestScope } from './scope.ts';

export type { DigestScope } from './scope.ts';

const DAY = 86_400_000;
const PERIOD: Record<DigestKind, number> = { daily: DAY, weekly: 7 * DAY, week: 7 * DAY, month: 30 * DAY };
const SUMMARY_TIMEOUT_MS = 15_000;

/**
 * A digest of a scope for the period ending now, in a language: the text (always), markdown and a card, the chart
 * as a picture where a renderer is available, and three summary lines on top where an LLM is configured (the
 * digest goes without them when the model fails).
 */
export async function buildDigest(
  deps: CoreDeps,
  scope: DigestScope,
  lang: Lang,
  kind: DigestKind = 'daily',
): Promise<OutboundContent> {
  const to = deps.clock.now();
  const facts = await digestFacts(deps, scope, to - PERIOD[kind], to);
  const plain = renderDigest(facts, lang, deps.org, kind);
  const summary = await summarize(deps, plain.text, lang);
  const rendered = summary ? renderDigest(facts, lang, deps.org, kind, summary) : plain;
  const content = await withCampaignSection(deps, rendered, scope, lang, kind, to - PERIOD[kind], to);
  const image = await chart(deps, facts, lang);
  return image ? { ...content, image: { base64: image } } : content;
}

async function summarize(deps: CoreDeps, text: string, lang: Lang): Promise<string | undefined> {
  const llm = deps.llm;
  if (!llm) return undefined;
  const startedAt = deps.clock.now();
  const record = (usage: { promptTokens: number; completionTokens: number } | null, error: string | null) =>
    recordLlmCall(deps.db, {
      purpose: 'digest_summary',
      model: llm.model,
      promptVersion: digestSummaryV2.version,
      staffId: null,
      startedAt,
      finishedAt: deps.clock.now(),
      usage,
      error,
    });
  // The digest names customers (and their names are theirs to choose): data inside a fence made for this call.
  const fence = dataFence();
  try {
    const answer = await llm.complete({
      messages: [
        {
          role: 'system',
          content: fillTemplate(digestSummaryV2.text, {
            fence: fence.name,
            language: promptLanguageName(lang),
          }),
        },
        { role: 'user', content: fence.wrap(text) },
      ],
      timeoutMs: SUMMARY_TIMEOUT_MS,
    });
    await record(answer.usage, null);
    const lines = (answer.text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 3);
    return lines.length ? lines.join('\n').slice(0, 600) : undefined;
  } catch (error) {
    await record(null, llmErrorKind(error));
    deps.logger.warn({ error: llmErrorKind(error) }, 'digest summary failed; sent without it');
    return undefined;
  }
}

async function chart(deps: CoreDeps, facts: DigestFacts, lang: Lang): Promise<string | undefined> {
  if (!deps.charts) return undefined;
  try {
    return toBase64(await deps.charts.renderPng(digestChartData(facts, lang, deps.org)));
  } catch (error) {
    deps.logger.warn(
      { error: error instanceof Error ? error.message : 'error' },
      'digest chart failed; sent as text',
    );
    return undefined;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
