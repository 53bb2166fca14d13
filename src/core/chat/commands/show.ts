import { customerCard } from '../../records/customers/card.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { customerOrReply } from './customer-arg.ts';

/** `/show 查看 <customer>`: the 360° card (identities, owner, stage, tags with source, deals, messages, reminders). */
export const showCommand: Command = {
  name: 'show',
  aliases: ['查看'],
  ...helpOf('show'),
  hints: ['详情', '看看', 'show'],
  async run(ctx) {
    const { deps, viewer, lang, args } = ctx;
    if (!args) return usage(ctx, this.usage[lang]);
    const found = await customerOrReply(deps, viewer, lang, args);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const card = await customerCard(deps, ctx.actor, c.id, lang, { command: 'show' });
    return card ?? (await customerOrReply(deps, viewer, lang, `#${c.id}`)).reply ?? '';
  },
};
