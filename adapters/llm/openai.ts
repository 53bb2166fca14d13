import type { OpenAI } from 'openai/client';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { Llm, LlmRequest, LlmResponse } from '../../src/core/ports/llm.ts';

export interface OpenAiSettings {
  apiKey: string;
  /** Any OpenAI-compatible endpoint (`…/v1`); the SDK appends `/chat/completions`. */
  baseUrl: string;
  model: string;
  /** Per request, unless the request sets its own (ms). */
  timeoutMs?: number;
  /** Retries on 429/5xx/network errors; kept small because a staff member is waiting for the answer. */
  maxRetries?: number;
}

/**
 * The Llm port over the official openai SDK, against any OpenAI-compatible chat completions endpoint. Errors
 * (HTTP, timeout, network) are thrown as the SDK raises them; callers decide what the person is told. The SDK is
 * imported at the first request, so a server that never asks the model does not hold it (~2–3 MiB of heap).
 */
export function createOpenAiLlm(settings: OpenAiSettings): Llm {
  let client: Promise<OpenAI> | undefined;
  const clientOf = () =>
    (client ??= import('openai/client').then(
      ({ OpenAI }) =>
        new OpenAI({
          apiKey: settings.apiKey,
          baseURL: settings.baseUrl,
          timeout: settings.timeoutMs ?? 20_000,
          maxRetries: settings.maxRetries ?? 1,
        }),
    ));
  return {
    model: settings.model,
    async complete(request: LlmRequest): Promise<LlmResponse> {
      const body: ChatCompletionCreateParamsNonStreaming = {
        model: settings.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        ...(request.tools?.length
          ? {
              tools: request.tools.map((t) => ({
                type: 'function' as const,
                function: { name: t.name, description: t.description, parameters: t.parameters },
              })),
              tool_choice: 'auto' as const,
            }
          : {}),
        ...(request.json ? { response_format: { type: 'json_object' as const } } : {}),
      };
      const completion = await (await clientOf()).chat.completions.create(
        body,
        request.timeoutMs ? { timeout: request.timeoutMs } : undefined,
      );
      const message = completion.choices[0]?.message;
      return {
        text: message?.content ?? null,
        toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
          call.type === 'function' ? [{ name: call.function.name, arguments: call.function.arguments }] : [],
        ),
        usage: completion.usage
          ? {
              promptTokens: completion.usage.prompt_tokens,
              completionTokens: completion.usage.completion_tokens,
            }
          : null,
      };
    },
  };
}
