import { searchCustomers } from '../customers/search.ts';
import { stageName } from '../customers/stages.ts';
import { contactsShown } from '../permissions/contacts-shown.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { customerOrReply } from './customer-arg.ts';

const SHOWN = 10;

/** `/find 查找 <q>`: customers by name (two Chinese characters are enough), company, phone, tag or `#id`. */
export const findCommand: Command = {
  name: 'find',
  aliases: ['查找'],
  usage: { zh: '/find 查找 <姓名|公司|电话|标签|#编号>', en: '/find <name|company|phone|tag|#id>' },
  summary: { zh: '查找客户', en: 'look a customer up' },
  hints: ['找', '查', 'find', 'search'],
  async run(ctx) {
    const { deps, viewer, lang, args } = ctx;
    if (!args) return usage(ctx, this.usage[lang]);
    const byText = await searchCustomers(deps.db, { q: args, limit: SHOWN + 1, viewer });
    const found =
      byText.length > 0 ? byText : await searchCustomers(deps.db, { tag: args, limit: SHOWN + 1, viewer });
    if (found.length === 0) return (await customerOrReply(deps, viewer, lang, args)).reply ?? '';
    const shown = await contactsShown(deps, ctx.actor, found.slice(0, SHOWN), { command: 'find' });
    const lines = shown.map((c) => {
      const owner = c.owner ? text[lang].owner(c.owner.name) : text[lang].unowned;
      return [
        `#${c.id} ${c.name}`,
        c.company,
        c.phone,
        c.email,
        stageName(deps.org.stages, c.stage, lang),
        owner,
      ]
        .filter(Boolean)
        .join(' · ');
    });
    const more = found.length > SHOWN ? `\n${text[lang].more}` : '';
    const n = found.length > SHOWN ? `${SHOWN}+` : String(found.length);
    return `${text[lang].found(n, args)}\n${lines.join('\n')}${more}`;
  },
};

const text = {
  zh: {
    found: (n: string, q: string) => `找到 ${n} 位与「${q}」匹配的客户：`,
    owner: (name: string) => `负责人 ${name}`,
    unowned: '公海',
    more: '结果较多，请输入更完整的姓名、公司或电话。',
  },
  en: {
    found: (n: string, q: string) => `${n} customer(s) match "${q}":`,
    owner: (name: string) => `owner ${name}`,
    unowned: 'unowned',
    more: 'More match: add more of the name, company or phone.',
  },
};
