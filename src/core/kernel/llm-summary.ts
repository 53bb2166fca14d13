import { fillTemplate } from '../../../prompts/index.ts';
import { type Lang, promptLanguageName } from './i18n/index.ts';
import { dataFence } from './llm-fence.ts';
import { llmErrorKind, recordLlmCall } from './llm-usage.ts';
import type { CoreDeps } from './runtime.ts';

/** A versioned prompt template whose `{fence}` names the data and `{language}` the answer's. */
export interface SummaryPrompt {
  text: string;
  version: string;
}

/** What one summary asks for: the prompt, the text (fenced as data), and how much of the answer to keep. */
export interface SummaryRequest {
  purpose: string;
  prompt: SummaryPrompt;
  text: string;
  lang: Lang;
  staffId: number | null;
  maxLines: number;
  maxChars: number;
  timeoutMs: number;
}

/**
 * A few lines from the model about `text`, which goes inside a fence made for this call (names and words in it are
 * customers' to choose). Every call is recorded; undefined without a model, or when it fails (the caller goes on).
 */
export async function summarizeFenced(deps: CoreDeps, r: SummaryRequest): Promise<string | undefined> {
  const llm = deps.llm;
  if (!llm) return undefined;
  const startedAt = deps.clock.now();
  const record = (usage: { promptTokens: number; completionTokens: number } | null, error: string | null) =>
    recordLlmCall(deps.db, {
      purpose: r.purpose,
      model: llm.model,
      promptVersion: r.prompt.version,
      staffId: r.staffId,
      startedAt,
      finishedAt: deps.clock.now(),
      usage,
      error,
    });
  const fence = dataFence();
  try {
    const answer = await llm.complete({
      messages: [
        {
          role: 'system',
          content: fillTemplate(r.prompt.text, { fence: fence.name, language: promptLanguageName(r.lang) }),
        },
        { role: 'user', content: fence.wrap(r.text) },
      ],
      timeoutMs: r.timeoutMs,
    });
    await record(answer.usage, null);
    const lines = (answer.text ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, r.maxLines);
    return lines.length ? lines.join('\n').slice(0, r.maxChars) : undefined;
  } catch (error) {
    await record(null, llmErrorKind(error));
    deps.logger.warn(
      { error: llmErrorKind(error), purpose: r.purpose },
      'model summary failed; sent without it',
    );
    return undefined;
  }
}
