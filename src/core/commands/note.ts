import { recordCustomerEvent } from '../timeline/customer-events.ts';
import type { Command } from './command.ts';
import { auditCommand, usage } from './common.ts';
import { customerOrReply, splitCustomerRef } from './customer-arg.ts';

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
    if ([...rest].length > 2000)
      return ctx.lang === 'zh' ? '跟进内容最长2000字。' : 'A note is at most 2000 characters.';
    const found = await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const { db, clock } = ctx.deps;
    const now = clock.now();
    const inserted = await db
      .insertInto('notes')
      .values({
        customer_id: c.id,
        author_staff_id: ctx.staff.id,
        body: rest,
        created_at: now,
        request_key: ctx.key,
      })
      .onConflict((oc) => oc.column('request_key').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
      await db
        .updateTable('customers')
        .set({ last_contact_at: now, updated_at: now })
        .where('id', '=', c.id)
        .execute();
      await recordCustomerEvent(db, {
        customerId: c.id,
        key: `${ctx.key}:note`,
        at: now,
        kind: 'note_added',
        platform: ctx.chat.platform,
        actorStaffId: ctx.staff.id,
      });
      await auditCommand(ctx, { action: 'customer.note_added', subjectKind: 'customer', subjectId: c.id });
    }
    return ctx.lang === 'zh'
      ? `已记录对 #${c.id} ${c.name} 的跟进。`
      : `Follow-up recorded for #${c.id} ${c.name}.`;
  },
};
