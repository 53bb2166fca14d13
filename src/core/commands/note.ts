import { addNote, MAX_NOTE_CHARS } from '../customers/notes.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/** `/note 跟进 <customer> <text>`: a follow-up record; the customer counts as contacted. */
export const noteCommand: Command = {
  name: 'note',
  aliases: ['跟进', '备注'],
  usage: { zh: '/note 跟进 <客户> <内容>', en: '/note <customer> <text>' },
  summary: { zh: '记录跟进', en: 'record a follow-up' },
  hints: ['跟进', '备注', '记录', 'note'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    if (!ref || !rest) return usage(ctx, this.usage[ctx.lang]);
    if ([...rest].length > MAX_NOTE_CHARS)
      return ctx.lang === 'zh'
        ? `跟进内容最长${MAX_NOTE_CHARS}字。`
        : `A note is at most ${MAX_NOTE_CHARS} characters.`;
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    await addNote(ctx.deps, { customer: found.reached, body: rest }, ctx.key);
    return ctx.lang === 'zh'
      ? `已记录对 #${c.id} ${c.name} 的跟进。`
      : `Follow-up recorded for #${c.id} ${c.name}.`;
  },
};
