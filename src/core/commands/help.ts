import type { Lang } from '../i18n.ts';
import type { Command } from './command.ts';

/** `/help` lists every command in the registry, so it cannot fall out of date. */
export function helpCommand(all: () => readonly Command[]): Command {
  return {
    name: 'help',
    aliases: ['帮助'],
    usage: { zh: '/help 帮助', en: '/help' },
    summary: { zh: '显示可用命令', en: 'show what I can do' },
    where: 'any',
    async run({ lang }) {
      // Names and what each does: short enough for one message everywhere (WeCom: 2048 bytes). A command typed
      // without its arguments answers with its full usage.
      const lines = all().map(
        (c) => `/${c.name}${lang === 'zh' ? ` ${c.aliases[0] ?? ''}` : ''} — ${c.summary[lang]}`,
      );
      return `${heading[lang]}\n${lines.join('\n')}\n${footer[lang]}`;
    },
  };
}

const footer: Record<Lang, string> = {
  zh: '只发命令名（例如 /reply）可看用法。',
  en: 'Send a command alone (e.g. /reply) for its usage.',
};

const heading: Record<Lang, string> = {
  zh: 'Liaison 客户助手，可用命令：',
  en: 'Liaison, your CRM assistant. Commands:',
};
