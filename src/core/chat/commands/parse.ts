import type { Lang } from '../../kernel/i18n/index.ts';

export interface ParsedCommand {
  /** The word typed after the slash, lower-cased (`find`, `查找`). */
  word: string;
  /** Everything after the command word, trimmed. */
  args: string;
  /** Chinese when the command word is Chinese: answer in the language the person typed. */
  typedLanguage: Lang | null;
}

/**
 * Reads `/word args`. Accepts the full-width slash Chinese keyboards produce (／) and a trailing `@botname`
 * (adapters pass only commands addressed to this bot). Returns null for text that is not a command.
 */
export function parseCommand(text: string): ParsedCommand | null {
  const m = /^\s*[/／]([^\s@]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text);
  if (!m?.[1]) return null;
  const word = m[1].toLowerCase();
  return { word, args: (m[2] ?? '').trim(), typedLanguage: /[\u4e00-\u9fff]/.test(word) ? 'zh' : null };
}
