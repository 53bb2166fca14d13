import { changeOwner } from '../customers/ownership-stage.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';
import { staffOrReply } from './staff-arg.ts';

/**
 * `/assign 分配 <customer> <rep>`: a new owner. Managers assign within their team's subtree, directors and admins to
 * anyone, a rep only to themselves (taking a customer from the unowned pool).
 */
export const assignCommand: Command = {
  name: 'assign',
  aliases: ['分配'],
  usage: { zh: '/assign 分配 <客户> <员工>', en: '/assign <customer> <rep>' },
  summary: { zh: '分配客户负责人', en: 'give a customer an owner' },
  hints: ['分配', '转给', 'assign'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    if (!ref || !rest) return usage(ctx, this.usage[ctx.lang]);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const taker = await staffOrReply(ctx, rest);
    if (!taker.staff) return taker.reply;
    const c = found.customer;
    const to = taker.staff;
    const changed = await changeOwner(ctx.deps, { customer: found.reached, ownerStaffId: to.id }, ctx.key);
    if (changed === 'owner_out_of_reach' || changed === 'owner_inactive') {
      return ctx.lang === 'zh'
        ? `你不能把客户分配给 ${to.name}：只能分配给你管理范围内的员工${ctx.viewer.role === 'rep' ? '（销售只能分配给自己）' : ''}。`
        : `You cannot assign customers to ${to.name}: only to staff you manage${ctx.viewer.role === 'rep' ? ' (reps only to themselves)' : ''}.`;
    }
    if (changed && !changed.changed) {
      return ctx.lang === 'zh'
        ? `#${c.id} ${c.name} 的负责人已经是 ${to.name}。`
        : `${to.name} already owns #${c.id} ${c.name}.`;
    }
    return ctx.lang === 'zh'
      ? `已把 #${c.id} ${c.name} 分配给 ${to.name}。`
      : `#${c.id} ${c.name} now belongs to ${to.name}.`;
  },
};
