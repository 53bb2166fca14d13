import { messages } from '../../kernel/i18n/index.ts';
import { settleDoNotContactProposals } from '../../reading/intelligence/dnc-proposal.ts';
import { setDoNotContact } from '../../records/privacy/do-not-contact.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

const ON = new Set(['on', 'yes', 'true', '开', '开启', '是', '设置']);
const OFF = new Set(['off', 'no', 'false', '关', '关闭', '否', '取消']);

/**
 * `/dnc 免打扰 <customer> [on|off]`: records (or lifts) a customer's wish not to be contacted, within the asker's
 * data scope, audited; without on/off it says the current state. Private chat only (the default).
 */
export const dncCommand: Command = {
  name: 'dnc',
  aliases: ['免打扰'],
  ...helpOf('dnc'),
  hints: ['免打扰', '勿联系', '不要联系', 'do not contact'],
  async run(ctx) {
    const { ref, rest } = splitCustomerRef(ctx.args);
    const word = rest.toLowerCase();
    const on = ON.has(word) ? true : OFF.has(word) ? false : undefined;
    if (!ref || (rest && on === undefined)) return usage(ctx, this.usage[ctx.lang]);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const t = messages(ctx.lang).commands.dnc;
    const who = `#${c.id} ${c.name}`;
    if (on === undefined) {
      const row = await ctx.deps.db
        .selectFrom('customers')
        .select('do_not_contact')
        .where('id', '=', c.id)
        .executeTakeFirstOrThrow();
      return t.state(who, row.do_not_contact === 1);
    }
    await setDoNotContact(ctx.deps, found.reached, on);
    await settleDoNotContactProposals(ctx.deps, c.id); // answered: a later wish is proposed again
    return on ? t.set(who) : t.cleared(who);
  },
};
