import { messages } from '../../kernel/i18n/index.ts';
import type { Command } from './command.ts';
import { helpOf } from './common.ts';

/** `/help` lists every command in the registry, so it cannot fall out of date. */
export function helpCommand(all: () => readonly Command[]): Command {
  return {
    name: 'help',
    aliases: ['帮助'],
    ...helpOf('help'),
    where: 'any',
    async run({ lang }) {
      // Names and what each does: short enough for one message everywhere (WeCom: 2048 bytes). A command typed
      // without its arguments answers with its full usage.
      const t = messages(lang).commands.help;
      const lines = all().map((c) => t.line(c.name, c.aliases[0] ?? '', c.summary[lang]));
      return `${t.heading}\n${lines.join('\n')}\n${t.footer}`;
    },
  };
}
