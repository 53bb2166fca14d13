import { llmErrorKind, recordLlmCall } from '../../kernel/llm-usage.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { suggestStage } from '../../records/customers/lifecycle.ts';
import { addTag, mirrorTagChange } from '../../records/tags/tags.ts';
import { raiseAlerts } from './alerts.ts';
import { lastMessageOfBurst } from './bursts.ts';
import { type BurstReading, readModelAnswer } from './llm-answer.ts';
import {
  AUTO_TAG_PROMPT,
  autoTagRequest,
  burstTranscript,
  modelCauses,
  sha256Hex,
} from './llm-tag-request.ts';

const LEASE_MS = 2 * 60_000;
const MAX_ATTEMPTS = 6;
const CALL_TIMEOUT_MS = 20_000;
const MESSAGES_READ = 30;

/**
 * Sends bursts whose debounce has passed to the model, one call per burst: the customer's messages, masked (phones,
 * emails, ids), as data inside a fence made for the call. The answer (checked against the allowlist) becomes tags
 * with source `llm`, a stage suggestion, the summary and sentiment, and alerts. A cached answer is reused; a failed call is
 * retried later with backoff (rules have already applied), and a burst is never lost: after the last attempt it
 * stays `failed` with its error. Returns what to queue and how many bursts were taken.
 */
export async function tagDueBursts(
  deps: CoreDeps,
  limit = 10,
): Promise<{ sends: OutboxItem[]; taken: number }> {
  const { db, clock, llm } = deps;
  if (!llm) return { sends: [], taken: 0 };
  const now = clock.now();
  const due = await db
    .selectFrom('conversation_bursts')
    .select(['id', 'customer_id', 'started_at', 'last_message_at', 'llm_due_at', 'llm_attempts'])
    .where('llm_status', '=', 'pending')
    .where('llm_due_at', '<=', now)
    .orderBy('llm_due_at')
    .limit(limit)
    .execute();
  const sends: OutboxItem[] = [];
  let taken = 0;
  for (const b of due) {
    // Claim under a lease: another instance (or this one after a crash) takes it only once the lease ends.
    const claimed = await db
      .updateTable('conversation_bursts')
      .set({ llm_due_at: now + LEASE_MS, llm_attempts: b.llm_attempts + 1, updated_at: now })
      .where('id', '=', b.id)
      .where('llm_status', '=', 'pending')
      .where('llm_due_at', '=', b.llm_due_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    taken++;
    try {
      const reading = await readBurst(deps, b);
      sends.push(...(await applyReading(deps, b, reading)));
      await db
        .updateTable('conversation_bursts')
        .set({
          llm_status: 'done',
          llm_due_at: null,
          llm_error: null,
          intent: reading.intent,
          sentiment: reading.sentiment,
          summary: reading.summary,
          updated_at: clock.now(),
        })
        .where('id', '=', b.id)
        .execute();
    } catch (error) {
      const attempts = b.llm_attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('conversation_bursts')
        .set({
          llm_status: failed ? 'failed' : 'pending',
          llm_due_at: failed ? null : clock.now() + 60_000 * 4 ** (attempts - 1),
          llm_error: error instanceof Error ? error.message.slice(0, 200) : 'error',
          updated_at: clock.now(),
        })
        .where('id', '=', b.id)
        .execute();
      deps.logger.warn(
        { burst: b.id, attempts, failed, error: llmErrorKind(error) },
        'auto-tagging call failed',
      );
    }
  }
  return { sends, taken };
}

interface DueBurst {
  id: number;
  customer_id: number;
  started_at: number;
  last_message_at: number;
}

async function readBurst(deps: CoreDeps, b: DueBurst): Promise<BurstReading> {
  const { db, clock, org, tagging } = deps;
  const llm = deps.llm as NonNullable<CoreDeps['llm']>;
  const rows = await db
    .selectFrom('messages')
    .select('text')
    .where('customer_id', '=', b.customer_id)
    .where('direction', '=', 'in')
    .where('sent_at', '>=', b.started_at)
    .where('sent_at', '<=', b.last_message_at)
    .orderBy('sent_at', 'desc')
    .limit(MESSAGES_READ)
    .execute();
  const transcript = burstTranscript(rows.reverse().map((r) => r.text));
  const stages = org.stages.map((s) => s.key);
  // The same request the evaluation sends (`npm run eval -- --llm`); keyed without the fence, new on every call.
  const request = autoTagRequest({
    transcript,
    allowlist: tagging.allowlist,
    stages,
    language: 'Chinese',
    model: llm.model,
  });
  const cacheKey = await sha256Hex(request.cacheText);
  const cached = await db
    .selectFrom('llm_cache')
    .select('result')
    .where('cache_key', '=', cacheKey)
    .executeTakeFirst();
  const allowlist = new Set(tagging.allowlist);
  if (cached) return readModelAnswer(cached.result, allowlist, stages);
  const startedAt = clock.now();
  try {
    const answer = await llm.complete({
      messages: request.messages,
      json: true,
      timeoutMs: CALL_TIMEOUT_MS,
    });
    await record(deps, startedAt, answer.usage, null);
    const reading = readModelAnswer(answer.text, allowlist, stages);
    await db
      .insertInto('llm_cache')
      .values({ cache_key: cacheKey, result: answer.text ?? '', created_at: clock.now() })
      .onConflict((oc) => oc.column('cache_key').doNothing())
      .execute();
    return reading;
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('the model')))
      await record(deps, startedAt, null, llmErrorKind(error));
    throw error;
  }
}

function record(
  deps: CoreDeps,
  startedAt: number,
  usage: { promptTokens: number; completionTokens: number } | null,
  error: string | null,
) {
  return recordLlmCall(deps.db, {
    purpose: 'auto_tag',
    model: deps.llm?.model ?? '',
    promptVersion: AUTO_TAG_PROMPT.version,
    staffId: null,
    startedAt,
    finishedAt: deps.clock.now(),
    usage,
    error,
  });
}

async function applyReading(deps: CoreDeps, b: DueBurst, r: BurstReading): Promise<OutboxItem[]> {
  const { db, clock, llm } = deps;
  const now = clock.now();
  const last = await lastMessageOfBurst(deps, b);
  const added: string[] = [];
  for (const tag of r.tags) {
    const change = {
      customerId: b.customer_id,
      name: tag,
      source: 'llm' as const,
      sourceRef: llm?.model ?? 'llm',
      confidence: 0.7,
      messageId: last?.id ?? null,
    };
    if (await addTag(db, change, now)) added.push(tag);
  }
  const key = `burst:${b.id}`;
  const sends: OutboxItem[] = added.length
    ? await mirrorTagChange(deps, b.customer_id, { add: added, remove: [] }, `${key}:llmtag`)
    : [];
  // One alert naming every cause the rules did not raise for the burst; a hot lead is listed and pinged in a batch.
  const raised = await db
    .selectFrom('alerts')
    .select('cause')
    .where('customer_id', '=', b.customer_id)
    .where('burst_id', '=', b.id)
    .execute();
  const more = modelCauses(r, deps.tagging.rules, new Set(raised.map((a) => a.cause)));
  const causes = [...more.atOnce, ...(more.hotLead ? (['high_intent'] as const) : [])].map((cause) => ({
    cause,
    source: 'llm',
  }));
  if (causes.length) {
    sends.push(
      ...(await raiseAlerts(deps, {
        customerId: b.customer_id,
        causes,
        burstId: b.id,
        messageId: last?.id ?? null,
        ...(last
          ? { excerpt: { text: last.text, contentType: last.content_type, content: last.content } }
          : {}),
      })),
    );
  }
  // The model may only move a customer early in the funnel (潜在 → 意向); later stages come from deals and people.
  if (r.stage && deps.org.stages.findIndex((s) => s.key === r.stage) === 1) {
    await suggestStage(deps, b.customer_id, r.stage, `${key}:stage`);
  }
  await db
    .updateTable('customers')
    .set({ sentiment: r.sentiment, summary: r.summary || null })
    .where('id', '=', b.customer_id)
    .execute();
  return sends;
}
