import type { ChatKind } from '../events.ts';
import { type Lang, languageOf } from '../i18n.ts';
import type { OutboundContent } from '../outbound.ts';
import type { Viewer } from '../permissions/scope.ts';
import type { CoreDeps } from '../runtime.ts';
import type { KnownStaff } from '../staff/registry.ts';
import type { Command } from './command.ts';
import { findCommand } from './find.ts';
import { helpCommand } from './help.ts';
import { parseCommand } from './parse.ts';
import { showCommand } from './show.ts';

const commands: Command[] = [];
commands.push(
  helpCommand(() => commands),
  findCommand,
  showCommand,
);

const byWord = new Map<string, Command>(
  commands.flatMap((c) => [c.name, ...c.aliases].map((w) => [w, c] as const)),
);

/** Runs a staff member's command text and returns the reply, in the language they typed or speak. */
export async function runStaffCommand(
  deps: CoreDeps,
  staff: KnownStaff,
  chatKind: ChatKind,
  commandText: string,
): Promise<OutboundContent> {
  // Without a slash too (`查找 王芳`): chats like Feishu have no slash commands, and people type the word alone.
  const parsed = parseCommand(commandText) ?? parseCommand(`/${commandText.trim()}`);
  const known =
    parsed &&
    (commandText.trim().startsWith('/') || commandText.trim().startsWith('／') || byWord.has(parsed.word));
  const lang: Lang = parsed?.typedLanguage ?? languageOf(staff.language);
  if (!parsed || !known) return { text: notACommand[lang] };
  const command = byWord.get(parsed.word);
  if (!command) return { text: unknown[lang](parsed.word) };
  const viewer: Viewer = { staffId: staff.id, role: staff.role, teamId: staff.team_id };
  const reply = await command.run({ deps, staff, viewer, lang, chatKind, args: parsed.args });
  return typeof reply === 'string' ? { text: reply } : reply;
}

const notACommand: Record<Lang, string> = {
  zh: '我只听得懂命令，发送 /help 查看可用命令。',
  en: 'I understand commands only for now: send /help to see them.',
};

const unknown: Record<Lang, (word: string) => string> = {
  zh: (w) => `未知命令 /${w}。发送 /help 查看可用命令。`,
  en: (w) => `Unknown command /${w}. Send /help to see what I can do.`,
};
