/**
 * The language model port: one chat completion that may answer with tool calls. The implementation (the openai SDK
 * against any compatible endpoint) lives outside the core; tests point it at a fake server.
 */
export interface Llm {
  /** The model's name, recorded with what it produced. */
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmResponse>;
}

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A function the model may call: a JSON Schema for its arguments. */
export interface LlmTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  messages: LlmMessage[];
  tools?: LlmTool[];
  /** Ask for a JSON object as the answer (classification). */
  json?: boolean;
  /** Give up after this long (ms). */
  timeoutMs?: number;
}

export interface LlmToolCall {
  name: string;
  /** The arguments as the model wrote them (JSON text, not yet validated). */
  arguments: string;
}

export interface LlmResponse {
  text: string | null;
  toolCalls: LlmToolCall[];
  usage: { promptTokens: number; completionTokens: number } | null;
}
