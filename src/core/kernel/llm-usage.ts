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

/** Model calls so far by purpose, model and outcome, with their tokens (for metrics). */
export interface LlmUsageTotal {
  purpose: string;
  model: string;
  ok: number;
  n: number;
  prompt: number;
  completion: number;
}

/** Totals of every recorded model call, grouped by purpose, model and outcome. */
export async function llmUsageTotals(db: Kysely<Database>): Promise<LlmUsageTotal[]> {
  const rows = await db
    .selectFrom('llm_calls')
    .select(({ fn }) => [
      'purpose',
      'model',
      'ok',
      fn.countAll().as('n'),
      fn.sum('prompt_tokens').as('prompt'),
      fn.sum('completion_tokens').as('completion'),
    ])
    .groupBy(['purpose', 'model', 'ok'])
    .execute();
  return rows.map((r) => ({
    purpose: r.purpose,
    model: r.model,
    ok: Number(r.ok),
    n: Number(r.n),
    prompt: Number(r.prompt ?? 0),
    completion: Number(r.completion ?? 0),
  }));
}
