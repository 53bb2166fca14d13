import { messages } from '../../kernel/i18n/index.ts';
import { contactsShown } from '../../kernel/permissions/contacts-shown.ts';
import { searchCustomers } from '../../records/customers/search.ts';
import { stageName } from '../../records/customers/stages.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { customerOrReply } from './customer-arg.ts';

const SHOWN = 10;

/** `/find 查找 <q>`: customers by name (two Chinese characters are enough), company, phone, tag or `#id`. */
export const findCommand: Command = {
  name: 'find',
  aliases: ['查找'],
  ...helpOf('find'),
  hints: ['找', '查', 'find', 'search'],
  async run(ctx) {
    const { deps, viewer, lang, args } = ctx;
    if (!args) return usage(ctx, this.usage[lang]);
    const byText = await searchCustomers(deps.db, { q: args, limit: SHOWN + 1, viewer });
    const found =
      byText.length > 0 ? byText : await searchCustomers(deps.db, { tag: args, limit: SHOWN + 1, viewer });
    if (found.length === 0) return (await customerOrReply(deps, viewer, lang, args)).reply ?? '';
    const t = messages(lang).commands.find;
    const shown = await contactsShown(deps, ctx.actor, found.slice(0, SHOWN), { command: 'find' });
    const lines = shown.map((c) => {
      const owner = c.owner ? t.owner(c.owner.name) : t.unowned;
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
    const more = found.length > SHOWN ? `\n${t.more}` : '';
    const n = found.length > SHOWN ? `${SHOWN}+` : String(found.length);
    return `${t.found(n, args)}\n${lines.join('\n')}${more}`;
  },
};
