import type { Command } from '../commands/command.ts';
import { usage } from '../commands/common.ts';
import { reachOrReply, splitCustomerRef } from '../commands/customer-arg.ts';
import { setDoNotContact } from './do-not-contact.ts';

const ON = new Set(['on', 'yes', 'true', '开', '开启', '是', '设置']);
const OFF = new Set(['off', 'no', 'false', '关', '关闭', '否', '取消']);

/**
 * `/dnc 免打扰 <customer> [on|off]`: records (or lifts) a customer's wish not to be contacted, within the asker's
 * data scope, audited; without on/off it says the current state. Private chat only (the default).
 */
export const dncCommand: Command = {
  name: 'dnc',
  aliases: ['免打扰'],
  usage: { zh: '/dnc 免打扰 <客户> 开|关', en: '/dnc <customer> on|off' },
  summary: { zh: '客户要求勿联系（免打扰）', en: 'the customer asked not to be contacted' },
  hints: ['免打扰', '勿联系', '不要联系', 'do not contact'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    const word = rest.toLowerCase();
    const on = ON.has(word) ? true : OFF.has(word) ? false : undefined;
    if (!ref || (rest && on === undefined)) return usage(ctx, this.usage[ctx.lang]);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const zh = ctx.lang === 'zh';
    if (on === undefined) {
      const row = await ctx.deps.db
        .selectFrom('customers')
        .select('do_not_contact')
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      const set = row.do_not_contact === 1;
      if (zh) return `#${c.id} ${c.name}：${set ? '已设为免打扰（客户要求勿联系）' : '未设免打扰'}。`;
      return `#${c.id} ${c.name}: ${set ? 'do not contact (the customer asked)' : 'may be contacted'}.`;
    }
    await setDoNotContact(ctx.deps, found.reached, on);
    if (zh)
      return on
        ? `已将 #${c.id} ${c.name} 设为免打扰：不再自动回复，不出现在跟进名单里。`
        : `已取消 #${c.id} ${c.name} 的免打扰。`;
    return on
      ? `#${c.id} ${c.name} is now do-not-contact: no automatic replies, off the follow-up lists.`
      : `#${c.id} ${c.name} may be contacted again.`;
  },
};
