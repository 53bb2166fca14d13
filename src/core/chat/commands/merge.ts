import { messages } from '../../kernel/i18n/index.ts';
import { mergeCustomersAs, previewMerge } from '../../records/merge/merge.ts';

import { previewText } from '../../records/merge/preview-text.ts';
import type { Command } from './command.ts';
import { helpOf, usage } from './common.ts';
import { customerOrReply, splitCustomerRef } from './customer-arg.ts';

/** The word that turns `/merge <a> <b>` from a preview into the merge itself. */
const CONFIRM = /^(确认|确定|confirm|yes|y)$/i;

/**
 * `/merge 合并 <kept customer> <customer to merge in> [确认]`: without the last word a preview (both records, counts,
 * which values win and why); with it, the merge. Both customers must be in the asker's scope (reps and managers alike).
 */
export const mergeCommand: Command = {
  name: 'merge',
  aliases: ['合并'],
  ...helpOf('merge'),
  hints: ['合并', '重复客户', 'merge'],
  async run(ctx) {
    const first = splitCustomerRef(ctx.args);
    const second = splitCustomerRef(first.rest);
    const confirmed = CONFIRM.test(second.rest);
    if (!first.ref || !second.ref || (second.rest && !confirmed)) return usage(ctx, this.usage[ctx.lang]);
    const a = await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, first.ref);
    if (!a.customer) return a.reply;
    const b = await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, second.ref);
    if (!b.customer) return b.reply;
    const t = messages(ctx.lang).commands.merge;
    const shown = await previewMerge(ctx.deps, a.customer.id, b.customer.id, ctx.viewer);
    if (shown.kind === 'same') return t.same;
    if (shown.kind === 'unknown')
      return (await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, `#${b.customer.id}`)).reply ?? '';
    const [s, m] = [a.customer, b.customer];
    if (!confirmed) {
      const text = previewText(shown.preview, {
        lang: ctx.lang,
        stages: ctx.deps.org.stages,
        timeZone: ctx.deps.org.timeZone,
        now: ctx.deps.clock.now(),
      });
      return `${text}\n${t.how(s.id, m.id)}`;
    }
    const done = await mergeCustomersAs(ctx.deps, ctx.actor, s.id, m.id, ctx.key);
    if (done.kind === 'unknown')
      return (await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, `#${m.id}`)).reply ?? t.gone;
    switch (done.kind) {
      case 'merged':
        return t.merged(`#${m.id} ${m.name}`, `#${s.id} ${s.name}`, done.mergeId, s.id);
      case 'already':
        return t.already(done.mergeId);
      case 'busy':
        return t.busy;
      case 'same':
        return t.same;
      default:
        return t.gone;
    }
  },
};
