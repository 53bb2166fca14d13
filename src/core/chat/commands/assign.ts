import { messages } from '../../kernel/i18n/index.ts';
import { changeOwner } from '../../records/customers/ownership-stage.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';
import { staffOrReply } from './staff-arg.ts';

/**
 * `/assign 分配 <customer> <rep>`: a new owner. Managers assign within their team's subtree, directors and admins to
 * anyone, a rep only to themselves (taking a customer from the unowned pool).
 */
export const assignCommand: Command = {
  name: 'assign',
  aliases: ['分配'],
  ...helpOf('assign'),
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
    const t = messages(ctx.lang).commands.assign;
    if (changed === 'owner_out_of_reach' || changed === 'owner_inactive')
      return t.outOfReach(to.name, ctx.viewer.role === 'rep');
    const who = `#${c.id} ${c.name}`;
    if (changed && !changed.changed) return t.already(who, to.name);
    return t.done(who, to.name);
  },
};
