import { searchCustomers } from '../customers/search.ts';
import { type Lang, stageLabel } from '../i18n.ts';
import { maskPhone } from '../permissions/mask.ts';
import { mayUnmask } from '../permissions/scope.ts';
import type { Command } from './command.ts';

const SHOWN = 10;

export const findCommand: Command = {
  name: 'find',
  aliases: ['查找'],
  usage: { zh: '/find 查找 <姓名|公司|电话|#编号>', en: '/find <name|company|phone|#id>' },
  summary: { zh: '查找客户', en: 'look a customer up' },
  async run({ deps, viewer, lang, chat, args }) {
    if (!args) return text[lang].usage(this.usage[lang]);
    // A group may hold customers or people outside the team: customer data is answered in private only.
    if (chat.kind !== 'private') return text[lang].privateOnly;
    const found = await searchCustomers(deps.db, { q: args, limit: SHOWN + 1, viewer });
    if (found.length === 0) return text[lang].none(args);
    const lines = found.slice(0, SHOWN).map((c) => {
      const phone = c.phone ? (mayUnmask(viewer) ? c.phone : maskPhone(c.phone)) : null;
      const owner = c.owner ? text[lang].owner(c.owner.name) : text[lang].unowned;
      return [`#${c.id} ${c.name}`, c.company, phone, stageLabel(c.stage, lang), owner]
        .filter(Boolean)
        .join(' · ');
    });
    const more = found.length > SHOWN ? `\n${text[lang].more}` : '';
    return `${text[lang].found(found.length > SHOWN ? `${SHOWN}+` : String(found.length), args)}\n${lines.join('\n')}${more}`;
  },
};

const text: Record<
  Lang,
  {
    usage: (u: string) => string;
    privateOnly: string;
    none: (q: string) => string;
    found: (n: string, q: string) => string;
    owner: (name: string) => string;
    unowned: string;
    more: string;
  }
> = {
  zh: {
    usage: (u) => `用法：${u}`,
    privateOnly: '为保护客户信息，请私聊我使用 /find 查找。',
    none: (q) => `没有找到与「${q}」匹配的客户。`,
    found: (n, q) => `找到 ${n} 位与「${q}」匹配的客户：`,
    owner: (name) => `负责人 ${name}`,
    unowned: '公海',
    more: '结果较多，请输入更完整的姓名、公司或电话。',
  },
  en: {
    usage: (u) => `Usage: ${u}`,
    privateOnly: 'To protect customer data, use /find in a private chat with me.',
    none: (q) => `No customer matches "${q}".`,
    found: (n, q) => `${n} customer(s) match "${q}":`,
    owner: (name) => `owner ${name}`,
    unowned: 'unowned',
    more: 'More match: add more of the name, company or phone.',
  },
};
