import { type Lang, languageOf, messages } from '../../kernel/i18n/index.ts';
import { staffActor } from '../../kernel/permissions/actor.ts';
import { viewerOf } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboxItem } from '../../ports/outbound.ts';
import { assignCommand } from './assign.ts';
import { campaignCommand } from './campaign.ts';
import { channelCommand } from './channel.ts';
import type { Command, CommandOutcome, StaffRequest } from './command.ts';
import { dealCommand } from './deal.ts';
import { digestCommand } from './digest.ts';
import { dncCommand } from './dnc.ts';
import { draftCommand } from './draft.ts';
import { dupesCommand } from './dupes.ts';
import { findCommand } from './find.ts';
import { handoffCommand } from './handoff.ts';
import { handoverCommand } from './handover.ts';
import { helpCommand } from './help.ts';
import { mineCommand, staleCommand } from './lists.ts';
import { mergeCommand } from './merge.ts';
import { noteCommand } from './note.ts';
import { parseCommand } from './parse.ts';
import { pipelineCommand } from './pipeline.ts';
import { quickCommand } from './quick.ts';
import { remindCommand } from './remind.ts';
import { replyCommand } from './reply.ts';
import { reportCommand } from './report.ts';
import { segmentCommand } from './segment.ts';
import { showCommand } from './show.ts';
import { staffCommand } from './staff.ts';
import { stageCommand } from './stage.ts';
import { tagCommandOn, untagCommand } from './tag.ts';
import { teamCommand } from './team.ts';
import { unmergeCommand } from './unmerge.ts';
import { webCommand } from './web.ts';

const commands: Command[] = [];
commands.push(
  helpCommand(() => commands),
  findCommand,
  showCommand,
  replyCommand,
  draftCommand,
  quickCommand,
  handoffCommand,
  mineCommand,
  staleCommand,
  tagCommandOn,
  untagCommand,
  noteCommand,
  stageCommand,
  dealCommand,
  pipelineCommand,
  assignCommand,
  remindCommand,
  dncCommand,
  dupesCommand,
  mergeCommand,
  unmergeCommand,
  handoverCommand,
  digestCommand,
  reportCommand,
  segmentCommand,
  campaignCommand,
  channelCommand,
  teamCommand,
  staffCommand,
  webCommand,
);

const byWord = new Map<string, Command>(
  commands.flatMap((c) => [c.name, ...c.aliases].map((w) => [w, c] as const)),
);

/** Every command, in help order. */
export const allCommands = (): readonly Command[] => commands;

/** The command a word names (its name or an alias), if any. */
export const commandNamed = (word: string): Command | undefined => byWord.get(word);

/** The command whose hint word comes first in the text (the verb: "把王芳标成高意向" is a tag, not a list of hot leads). */
export function commandHintedBy(text: string): Command | undefined {
  const lower = text.toLowerCase();
  let match: Command | undefined;
  let at = Number.POSITIVE_INFINITY;
  for (const c of commands) {
    for (const h of c.hints ?? []) {
      const i = lower.indexOf(h);
      if (i >= 0 && i < at) [match, at] = [c, i];
    }
  }
  return match;
}

/** Without an LLM: the command the text hints at, or the list of commands. */
export function suggestion(text: string, lang: Lang): string {
  const match = commandHintedBy(text);
  const t = messages(lang).registry;
  return match ? t.suggest(match.usage[lang]) : t.notACommand;
}

/** Runs one command line (as typed, or as composed by the assistant) under the requester's permissions. */
export async function runCommandText(deps: CoreDeps, req: StaffRequest): Promise<CommandOutcome> {
  const trimmed = req.text.trim();
  const parsed = parseCommand(trimmed) ?? parseCommand(`/${trimmed}`);
  const command = parsed ? byWord.get(parsed.word) : undefined;
  const lang: Lang = parsed?.typedLanguage ?? languageOf(req.staff.language);
  const t = messages(lang).registry;
  if (!parsed || !command) return { reply: { text: t.unknown(parsed?.word ?? trimmed) }, queued: [] };
  const where = command.where ?? 'private';
  const staffOnlyHere = req.chat.staffOnly === true && command.staffOnlyChats === true;
  if (where === 'private' && req.chat.kind !== 'private' && !staffOnlyHere)
    return { reply: { text: t.privateOnly }, queued: [] };
  if (where === 'group' && req.chat.kind === 'private') return { reply: { text: t.groupOnly }, queued: [] };
  const queued: OutboxItem[] = [];
  const viewer = viewerOf(req.staff);
  const reply = await command.run({
    deps,
    staff: req.staff,
    viewer,
    actor: staffActor(viewer, req.chat.platform),
    lang,
    chat: req.chat,
    args: parsed.args,
    key: req.key,
    ...(req.attachment ? { attachment: req.attachment } : {}),
    queue: (item) => queued.push(item),
  });
  return { reply: typeof reply === 'string' ? { text: reply } : reply, queued };
}
