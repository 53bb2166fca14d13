import { type Lang, languageOf, messages } from '../../kernel/i18n/index.ts';
import { llmErrorKind, recordLlmCall } from '../../kernel/llm-usage.ts';
import { maskTextFor } from '../../kernel/permissions/mask.ts';
import { mayUnmask, viewerOf } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { LlmResponse } from '../../ports/llm.ts';
import type { CommandOutcome, StaffRequest } from '../commands/command.ts';
import {
  confirmationReply,
  PENDING_TTL_MS,
  planOfRequest,
  type RunCommand,
  savePendingRequest,
} from '../commands/pending.ts';
import { commandHintedBy } from '../commands/registry.ts';
import { planToolCalls } from './plan.ts';
import { ASSISTANT_PROMPT_VERSION, assistantSystemPrompt } from './prompt.ts';
import { answerLanguage } from './texts.ts';
import { assistantTools } from './tools.ts';

export type { RunCommand } from '../commands/pending.ts';

const MODEL_TIMEOUT_MS = 15_000;
/** More tool calls than a chat message can sensibly ask for are not planned at all. */
const MAX_TOOL_CALLS = 8;

/**
 * A staff message that is not a command. With an LLM configured it becomes tool calls over the same commands, run
 * through `run` under the sender's permissions; without one, null (the registry then points at the command to use).
 *
 * Prompt-injection defence: only staff requests reach this function (customer messages are captured by the ingest
 * and never handled as requests), and the model is called once per message and sees only the staff member's own
 * text and the tool list. Read tools run and their output (which may quote customers) goes straight back to the
 * staff member, never into the model; writes are held until the staff member confirms ("确认" or a button).
 */
export async function handlePlainLanguage(
  deps: CoreDeps,
  req: StaffRequest,
  run: RunCommand,
): Promise<CommandOutcome | null> {
  const llm = deps.llm;
  if (!llm) return null;
  const lang = answerLanguage(req.text, languageOf(req.staff.language));
  const t = messages(lang).assistant;
  // Plans and read results name customers: a group may hold customers, so the assistant works in private only.
  if (req.chat.kind !== 'private') return textReply(t.privateOnly);
  // A redelivery of a message already planned: the same plan again, without a second model call.
  const earlier = await planOfRequest(deps, req.key);
  if (earlier) return confirmationReply(earlier.id, earlier.summary, [], lang);

  const tools = assistantTools(deps.org);
  const startedAt = deps.clock.now();
  let response: LlmResponse;
  try {
    response = await llm.complete({
      messages: [
        { role: 'system', content: assistantSystemPrompt(deps.org, startedAt, lang) },
        { role: 'user', content: req.text },
      ],
      tools: tools.map((tool) => tool.spec),
      timeoutMs: MODEL_TIMEOUT_MS,
    });
  } catch (error) {
    // Never thrown on: the delivery would be retried, asking the model again for nothing. The person gets a way on.
    const kind = llmErrorKind(error);
    deps.logger.warn({ staff: req.staff.id, error: kind }, 'assistant model call failed');
    await record(deps, req, llm.model, startedAt, null, kind);
    return textReply(t.unavailable(hintedUsage(req.text, lang)));
  }
  await record(deps, req, llm.model, startedAt, response.usage, null);
  if (response.toolCalls.length === 0) {
    // The model never reads customer text, yet its words reach a rep as any other surface: masked all the same.
    const answer = maskTextFor(mayUnmask(viewerOf(req.staff)), response.text?.trim() ?? '').text;
    return textReply(answer || t.notUnderstood);
  }
  if (response.toolCalls.length > MAX_TOOL_CALLS) return textReply(t.tooMany(MAX_TOOL_CALLS));

  const plan = await planToolCalls(deps, viewerOf(req.staff), lang, tools, response.toolCalls);
  if (plan.problems.length > 0) return textReply(plan.problems.join('\n'));
  const reads: CommandOutcome[] = [];
  for (const [i, text] of plan.reads.entries()) {
    reads.push(await run(deps, { ...req, text, key: `${req.key}:read:${i}` }));
  }
  if (plan.writes.length === 0) {
    return reads.length === 1 && reads[0]
      ? reads[0]
      : combine(
          reads.map((r) => r.reply.text),
          reads,
        );
  }
  const summary = t.plan(plan.writes, plan.customers, PENDING_TTL_MS / 60_000);
  const { row } = await savePendingRequest(deps, req, lang, plan.writes, summary);
  return confirmationReply(
    row.id,
    row.summary,
    reads.map((r) => r.reply.text),
    lang,
    reads.flatMap((r) => r.queued),
  );
}

function combine(texts: string[], outcomes: CommandOutcome[]): CommandOutcome {
  return { reply: { text: texts.join('\n\n') }, queued: outcomes.flatMap((o) => o.queued) };
}

const textReply = (text: string): CommandOutcome => ({ reply: { text }, queued: [] });

/** The command whose hint words the message contains, when the model cannot be asked. */
function hintedUsage(text: string, lang: Lang): string | null {
  return commandHintedBy(text)?.usage[lang] ?? null;
}

function record(
  deps: CoreDeps,
  req: StaffRequest,
  model: string,
  startedAt: number,
  usage: LlmResponse['usage'],
  error: string | null,
): Promise<void> {
  return recordLlmCall(deps.db, {
    purpose: 'assistant',
    model,
    promptVersion: ASSISTANT_PROMPT_VERSION,
    staffId: req.staff.id,
    startedAt,
    finishedAt: deps.clock.now(),
    usage,
    error,
  });
}
