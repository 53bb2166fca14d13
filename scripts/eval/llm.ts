// `npm run eval -- --llm`: the app's own auto-tag call (src/core/reading/intelligence/llm-tag-request.ts: the same
// prompt, examples, masking and fence) sent once per message of the evaluation set to the model configured as the
// app configures it (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL), answers read by the app's own checker. Answers
// are cached by a hash of model, prompt version, prompt with its examples and message text, so a re-run costs nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createOpenAiLlm } from '../../adapters/llm/openai.ts';
import { defaultStages } from '../../src/core/kernel/runtime.ts';
import type { Llm } from '../../src/core/ports/llm.ts';
import { type BurstReading, readModelAnswer } from '../../src/core/reading/intelligence/llm-answer.ts';
import {
  AUTO_TAG_PROMPT,
  autoTagRequest,
  burstTranscript,
  sha256Hex,
} from '../../src/core/reading/intelligence/llm-tag-request.ts';
import type { EvalMessage } from './data.ts';

/** Where answers are kept between runs unless `--cache <file>` says otherwise (test-artifacts/ is gitignored). */
export const DEFAULT_CACHE = join(import.meta.dirname, '../../test-artifacts/llm-eval-cache.json');

const CONCURRENCY = 4;
const TIMEOUT_MS = 30_000;

/** The model as the app would ask it, or null when OPENAI_API_KEY is not set. */
export function llmFromEnv(env: Record<string, string | undefined>): Llm | null {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) return null;
  return createOpenAiLlm({
    apiKey,
    baseUrl: (env.OPENAI_BASE_URL?.trim() || 'https://api.openai.com/v1').replace(/\/+$/, ''),
    model: env.OPENAI_MODEL?.trim() || 'gpt-4o-mini',
    timeoutMs: TIMEOUT_MS,
    maxRetries: 2,
  });
}

/** What the model made of each message (null: no usable answer), and what the run cost. */
export interface ModelRun {
  readings: Map<string, BurstReading | null>;
  requests: number;
  cached: number;
  failed: number;
  model: string;
  promptVersion: string;
}

/** Asks the model about every message not answered in the cache yet, a few at a time, and keeps its answers. */
export async function runModel(
  llm: Llm,
  messages: readonly EvalMessage[],
  allowlist: readonly string[],
  cacheFile: string,
): Promise<ModelRun> {
  const cache: Record<string, string> = existsSync(cacheFile)
    ? JSON.parse(readFileSync(cacheFile, 'utf8'))
    : {};
  const stages = defaultStages.map((s) => s.key);
  const run: ModelRun = {
    readings: new Map(),
    requests: 0,
    cached: 0,
    failed: 0,
    model: llm.model,
    promptVersion: AUTO_TAG_PROMPT.version,
  };
  const save = () => {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, `${JSON.stringify(cache, null, 1)}\n`);
  };
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const m = messages[next++] as EvalMessage;
      // The app's request for a one-message burst (the app reads in Chinese; the summary's language only).
      const request = autoTagRequest({
        transcript: burstTranscript([m.text]),
        allowlist,
        stages,
        language: 'Chinese',
        model: llm.model,
      });
      const key = await sha256Hex(request.cacheText);
      let text = cache[key];
      if (text !== undefined) run.cached++;
      else {
        run.requests++;
        try {
          text =
            (await llm.complete({ messages: request.messages, json: true, timeoutMs: TIMEOUT_MS })).text ??
            '';
          cache[key] = text;
        } catch (error) {
          console.error(`${m.id}: the model call failed (${error instanceof Error ? error.message : error})`);
        }
      }
      run.readings.set(m.id, text === undefined ? null : readOrNull(text, allowlist, stages));
      if (run.readings.get(m.id) === null) run.failed++;
      if (run.requests % 25 === 0) save();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  save();
  return run;
}

function readOrNull(text: string, allowlist: readonly string[], stages: string[]): BurstReading | null {
  try {
    return readModelAnswer(text, new Set(allowlist), stages);
  } catch {
    return null;
  }
}
