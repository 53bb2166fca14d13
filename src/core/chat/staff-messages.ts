import { type Lang, languageOf, messages } from '../kernel/i18n/index.ts';
import { maskContentFor } from '../kernel/permissions/mask-content.ts';
import { mayUnmask, viewerOf } from '../kernel/permissions/scope.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import { handlePlainLanguage } from './assistant/plain-language.ts';
import { answerLanguage, decisionOf } from './assistant/texts.ts';
import type { CommandOutcome, StaffRequest } from './commands/command.ts';
import { parseCommand } from './commands/parse.ts';
import { decidePending, decisionReply } from './commands/pending.ts';
import { commandNamed, runCommandText, suggestion } from './commands/registry.ts';

/**
 * Runs a staff member's message to the bot: a command (with or without its slash), or plain language, which goes to
 * the LLM assistant when one is configured and otherwise gets a pointer to the command to use. The answer to a rep
 * has contact data masked wherever it came from.
 */
export async function runStaffCommand(deps: CoreDeps, req: StaffRequest): Promise<CommandOutcome> {
  const outcome = await answerStaff(deps, req);
  return { ...outcome, reply: maskContentFor(mayUnmask(viewerOf(req.staff)), outcome.reply) };
}

async function answerStaff(deps: CoreDeps, req: StaffRequest): Promise<CommandOutcome> {
  const trimmed = req.text.trim();
  // Without a slash too (`查找 王芳`): chats like Feishu have no slash commands, and people type the word alone.
  const parsed = parseCommand(trimmed) ?? parseCommand(`/${trimmed}`);
  const slashed = trimmed.startsWith('/') || trimmed.startsWith('／');
  // Text answering a relayed customer message goes to that customer; a slash command there is still a command.
  if (req.replyingTo !== undefined && !slashed)
    return runCommandText(deps, { ...req, text: `/reply #${req.replyingTo} ${trimmed}` });
  const command = parsed ? commandNamed(parsed.word) : undefined;
  const lang: Lang = parsed?.typedLanguage ?? languageOf(req.staff.language);
  if (parsed && slashed && !command)
    return { reply: { text: messages(lang).registry.unknown(parsed.word) }, queued: [] };
  if (!parsed || !command) {
    // "确认" / "取消" decide the chat's pending confirmation, whether the assistant or a command asked for it.
    const decision = req.chat.kind === 'private' ? decisionOf(trimmed) : null;
    if (decision) {
      const decided = await decidePending(
        deps,
        req.staff,
        { chatKey: req.chat.key },
        decision,
        req.key,
        runCommandText,
      );
      if (decided.kind === 'applied') return decided.outcome;
      const answerIn = answerLanguage(trimmed, languageOf(req.staff.language));
      return { reply: { text: decisionReply(decided, answerIn) }, queued: [] };
    }
    const answered = await handlePlainLanguage(deps, req, runCommandText);
    return answered ?? { reply: { text: suggestion(trimmed, languageOf(req.staff.language)) }, queued: [] };
  }
  return runCommandText(deps, req);
}
