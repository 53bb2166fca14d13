import { messages } from '../../kernel/i18n/index.ts';
import { addNote, MAX_NOTE_CHARS } from '../../records/customers/notes.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/** `/note 跟进 <customer> <text>`: a follow-up record; the customer counts as contacted. */
export const noteCommand: Command = {
  name: 'note',
  aliases: ['跟进', '备注'],
  ...helpOf('note'),
  hints: ['跟进', '备注', '记录', 'note'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    if (!ref || !rest) return usage(ctx, this.usage[ctx.lang]);
    const t = messages(ctx.lang).commands.note;
    if ([...rest].length > MAX_NOTE_CHARS) return t.tooLong(MAX_NOTE_CHARS);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    await addNote(ctx.deps, { customer: found.reached, body: rest }, ctx.key);
    return t.recorded(`#${c.id} ${c.name}`);
  },
};
