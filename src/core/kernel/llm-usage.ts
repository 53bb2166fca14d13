import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import type { LlmResponse } from '../ports/llm.ts';

export interface LlmCallRecord {
  purpose: string;
  model: string;
  promptVersion: string | null;
  staffId: number | null;
  startedAt: number;
  finishedAt: number;
  usage: LlmResponse['usage'];
  /** Why the call failed (an HTTP status, a timeout), never request or response text; null when it worked. */
  error: string | null;
}

/** Records one language model call: tokens spent, for whom, how long, whether it worked. */
export async function recordLlmCall(db: Kysely<Database>, r: LlmCallRecord): Promise<void> {
  await db
    .insertInto('llm_calls')
    .values({
      purpose: r.purpose,
      model: r.model,
      prompt_version: r.promptVersion,
      prompt_tokens: r.usage?.promptTokens ?? null,
      completion_tokens: r.usage?.completionTokens ?? null,
      staff_id: r.staffId,
      ok: r.error === null ? 1 : 0,
      error: r.error,
      duration_ms: Math.max(0, r.finishedAt - r.startedAt),
      created_at: r.startedAt,
    })
    .execute();
}

/** An error's kind for the record: a status and a class name, short, without the text the endpoint sent back. */
export function llmErrorKind(error: unknown): string {
  if (!(error instanceof Error)) return 'error';
  const status = (error as { status?: unknown }).status;
  return (typeof status === 'number' ? `${error.name} ${status}` : error.name).slice(0, 100);
}
