import { messages } from '../../kernel/i18n/index.ts';
import { closeDateStart } from '../../kernel/time/calendar-day.ts';
import { formatAmount, parseAmount } from '../../records/customers/amount.ts';
import { recordDeal } from '../../records/customers/deal.ts';
import { findStage, stageChoices, stageName } from '../../records/customers/stages.ts';
import { createDeal } from '../../records/deals/create.ts';
import { MAX_DEAL_TITLE_CHARS } from '../../records/deals/deal-rows.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/** The word after the customer that opens another deal instead of moving the open one. */
const NEW = /^(new|新|新建|新开)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `/deal 商机 <customer> [new] <amount> <stage> [YYYY-MM-DD] [title]`: the customer's newest open opportunity moves to
 * that amount and stage (a new one is opened when none is); with `new` (`新`) another one is opened next to those
 * open. Won and lost close a deal. A date after the stage is the expected close day.
 */
export const dealCommand: Command = {
  name: 'deal',
  aliases: ['商机'],
  ...helpOf('deal'),
  hints: ['商机', '报价', '金额', 'deal'],
  async run(ctx) {
    const stages = ctx.deps.org.dealStages;
    const { ref, rest } = splitCustomerRef(ctx.args);
    const words = rest.split(/\s+/).filter(Boolean);
    const another = NEW.test(words[0] ?? '');
    if (another) words.shift();
    const [amountText = '', stageText = '', ...more] = words;
    const help = `${usage(ctx, this.usage[ctx.lang])}\n${stageChoices(stages, ctx.lang)}`;
    if (!ref || !amountText || !stageText) return help;
    const t = messages(ctx.lang);
    const amount = parseAmount(amountText);
    if (amount === null) return t.commands.deal.badAmount(amountText);
    const stage = findStage(stages, stageText);
    if (!stage) return t.commands.deal.unknownStage(stageText, help);
    const dateText = DATE.test(more[0] ?? '') ? (more.shift() ?? '') : '';
    const closeAt = dateText ? closeDateStart(dateText, ctx.deps.org.timeZone) : undefined;
    if (closeAt === null) return t.commands.deal.badDate(dateText);
    const found = await reachOrReply(ctx, ref);
    if (!found.customer) return found.reply;
    const c = found.customer;
    const title = more.join(' ');
    const told = (updated: boolean, currency: string) =>
      t.commands.deal.recorded({
        updated,
        who: `#${c.id} ${c.name}`,
        money: t.deals.money(formatAmount(amount), currency),
        stage: stageName(stages, stage.key, ctx.lang),
        probability: stage.probability,
      });
    if (another) {
      const made = await createDeal(
        ctx.deps,
        ctx.actor,
        {
          customerId: c.id,
          amountMinor: amount,
          stage: stage.key,
          ...(title ? { title } : {}),
          ...(closeAt !== undefined ? { expectedCloseAt: closeAt } : {}),
        },
        ctx.key,
      );
      if (made.kind === 'bad_title') return t.commands.deal.badTitle(MAX_DEAL_TITLE_CHARS);
      // The customer and the stage were checked just now: anything else means the customer is gone since.
      if (made.kind !== 'created') return t.customerArg.none(ref);
      return told(false, made.deal.currency);
    }
    const { opened, currency } = await recordDeal(
      ctx.deps,
      {
        customer: found.reached,
        amountMinor: amount,
        stage,
        ...(title ? { title } : {}),
        ...(closeAt !== undefined ? { expectedCloseAt: closeAt } : {}),
      },
      ctx.key,
    );
    return told(!opened, currency);
  },
};
