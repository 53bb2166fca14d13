import { digestSummaryV2 } from '../../../../prompts/index.ts';
import type { Lang } from '../../kernel/i18n/index.ts';
import { summarizeFenced } from '../../kernel/llm-summary.ts';
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

function summarize(deps: CoreDeps, text: string, lang: Lang): Promise<string | undefined> {
  return summarizeFenced(deps, {
    purpose: 'digest_summary',
    prompt: digestSummaryV2,
    text,
    lang,
    staffId: null,
    maxLines: 3,
    maxChars: 600,
    timeoutMs: SUMMARY_TIMEOUT_MS,
  });
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
