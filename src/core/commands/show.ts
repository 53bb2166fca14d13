import { customerCard } from '../customers/card.ts';
import type { Lang } from '../i18n.ts';
import type { Command } from './command.ts';
import { pickCustomer } from './customer-arg.ts';

export const showCommand: Command = {
  name: 'show',
  aliases: ['查看'],
  usage: { zh: '/show 查看 <客户>', en: '/show <customer>' },
  summary: { zh: '客户详情卡片', en: 'a customer at a glance' },
  async run({ deps, viewer, lang, chat, args }) {
    if (!args) return text[lang].usage(this.usage[lang]);
    if (chat.kind !== 'private') return text[lang].privateOnly;
    const pick = await pickCustomer(deps, viewer, args);
    if (pick.kind === 'none') return text[lang].none(args);
    if (pick.kind === 'many') {
      return `${text[lang].many(args)}\n${pick.matches.map((m) => `#${m.id} ${m.name}${m.company ? ` · ${m.company}` : ''}`).join('\n')}`;
    }
    return (await customerCard(deps.db, pick.customer.id, viewer, lang)) ?? text[lang].none(args);
  },
};

const text: Record<
  Lang,
  {
    usage: (u: string) => string;
    privateOnly: string;
    none: (q: string) => string;
    many: (q: string) => string;
  }
> = {
  zh: {
    usage: (u) => `用法：${u}`,
    privateOnly: '为保护客户信息，请私聊我使用 /show 查看。',
    none: (q) => `没有找到与「${q}」匹配的客户。`,
    many: (q) => `「${q}」匹配多位客户，请用编号查看，例如 /show #编号：`,
  },
  en: {
    usage: (u) => `Usage: ${u}`,
    privateOnly: 'To protect customer data, use /show in a private chat with me.',
    none: (q) => `No customer matches "${q}".`,
    many: (q) => `Several customers match "${q}"; show one by number, e.g. /show #id:`,
  },
};
