import { fillTemplate, replyDraftV1 } from '../../../prompts/index.ts';
import { type Lang, messages, promptLanguageName } from '../kernel/i18n/index.ts';
import { dataFence, stripFences } from '../kernel/llm-fence.ts';
import { llmErrorKind, recordLlmCall } from '../kernel/llm-usage.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import { maskSensitive } from '../reading/intelligence/mask-text.ts';
import { MAX_REPLY_CHARS } from './reply.ts';

/** Messages of the conversation the model reads: enough for the thread, few enough to stay cheap. */
const MESSAGES_READ = 12;
const CHARS_PER_MESSAGE = 300;
const DRAFT_TIMEOUT_MS = 15_000;
/** A draft is short: a reply a rep reads at a glance. */
const DRAFT_CHARS = 600;

/** A reply draft, and whether the model wrote it or the catalogue's template stood in. */
export interface ReplyDraft {
  text: string;
  by: 'model' | 'template';
}

/**
 * A reply for a rep to confirm before it is sent: written by the model where one is configured, from the customer's
 * latest messages (phones, emails and ids masked, inside a fence made for the call) and the rep's own point; the
 * catalogue's template when there is no model, or when it fails, times out or answers nothing (never blocking the
 * reply). The caller has checked the rep may answer this customer; nothing is sent here.
 */
export async function draftReply(
  deps: CoreDeps,
  r: { customerId: number; customerName: string; point: string; lang: Lang; staffId: number },
): Promise<ReplyDraft> {
  const template = (): ReplyDraft => ({
    text: messages(r.lang).commands.draft.template(r.customerName, r.point),
    by: 'template',
  });
  const llm = deps.llm;
  if (!llm) return template();
  const rows = await deps.db
    .selectFrom('messages')
    .select(['direction', 'text'])
    .where('customer_id', '=', r.customerId)
    .where('text', '!=', '')
    .orderBy('sent_at', 'desc')
    .orderBy('id', 'desc')
    .limit(MESSAGES_READ)
    .execute();
  const thread = rows
    .reverse()
    .map(
      (m) =>
        `${m.direction === 'in' ? '客户' : '我们'}: ${maskSensitive(m.text)
          .slice(0, CHARS_PER_MESSAGE)
          .replace(/\s+/g, ' ')}`,
    )
    .join('\n');
  const fence = dataFence();
  const startedAt = deps.clock.now();
  const record = (usage: { promptTokens: number; completionTokens: number } | null, error: string | null) =>
    recordLlmCall(deps.db, {
      purpose: 'reply_draft',
      model: llm.model,
      promptVersion: replyDraftV1.version,
      staffId: r.staffId,
      startedAt,
      finishedAt: deps.clock.now(),
      usage,
      error,
    });
  try {
    const answer = await llm.complete({
      messages: [
        {
          role: 'system',
          content: fillTemplate(replyDraftV1.text, {
            fence: fence.name,
            // The rep's own words, but kept from naming the fence all the same.
            point: stripFences(maskSensitive(r.point)).replace(/\s+/g, ' ').trim() || '—',
            language: promptLanguageName(r.lang),
          }),
        },
        { role: 'user', content: fence.wrap(thread || '—') },
      ],
      timeoutMs: DRAFT_TIMEOUT_MS,
    });
    await record(answer.usage, null);
    const text = (answer.text ?? '').trim().slice(0, Math.min(DRAFT_CHARS, MAX_REPLY_CHARS));
    return text ? { text, by: 'model' } : template();
  } catch (error) {
    await record(null, llmErrorKind(error));
    deps.logger.warn(
      { error: llmErrorKind(error) },
      'reply draft by the model failed; the template stands in',
    );
    return template();
  }
}
