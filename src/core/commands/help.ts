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
      const lines = all().map((c) => `${c.usage[lang]} — ${c.summary[lang]}`);
      return `${heading[lang]}\n${lines.join('\n')}`;
    },
  };
}

const heading: Record<Lang, string> = {
  zh: 'Liaison 客户助手，可用命令：',
  en: 'Liaison, your CRM assistant. Commands:',
};
