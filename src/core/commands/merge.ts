import { applyMerge, previewMerge } from '../merge/merge.ts';
import { previewText } from '../merge/preview-text.ts';
import { reachCustomer } from '../permissions/reach.ts';
import type { Command } from './command.ts';
import { usage } from './common.ts';
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
  usage: {
    zh: '/merge 合并 <保留的客户> <并入的客户> [确认]',
    en: '/merge <customer to keep> <customer to merge in> [confirm]',
  },
  summary: { zh: '合并重复的客户（先预览）', en: 'merge duplicate customers (preview first)' },
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
    const zh = ctx.lang === 'zh';
    const shown = await previewMerge(ctx.deps, a.customer.id, b.customer.id, ctx.viewer);
    if (shown.kind === 'same') return zh ? '这是同一位客户。' : 'That is the same customer twice.';
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
      const how = zh
        ? `确认合并请发送：/merge #${s.id} #${m.id} 确认（之后可用 /unmerge #${s.id} 撤销）`
        : `To merge, send: /merge #${s.id} #${m.id} confirm (undo later with /unmerge #${s.id})`;
      return `${text}\n${how}`;
    }
    const [kept, gone] = [
      await reachCustomer(ctx.deps.db, ctx.actor, s.id),
      await reachCustomer(ctx.deps.db, ctx.actor, m.id),
    ];
    if (!kept || !gone)
      return (await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, `#${m.id}`)).reply ?? '';
    const done = await applyMerge(ctx.deps, kept, gone, ctx.key);
    switch (done.kind) {
      case 'merged':
        return zh
          ? `已将 #${m.id} ${m.name} 合并到 #${s.id} ${s.name}（合并 #${done.mergeId}）。撤销：/unmerge #${s.id}`
          : `Merged #${m.id} ${m.name} into #${s.id} ${s.name} (merge #${done.mergeId}). Undo: /unmerge #${s.id}`;
      case 'already':
        return zh
          ? `这两位客户已经合并过了（合并 #${done.mergeId}）。`
          : `These two are already merged (merge #${done.mergeId}).`;
      case 'busy':
        return zh
          ? '其中一位客户正在被合并，请稍后再试。'
          : 'One of them is being merged right now; try again in a moment.';
      case 'same':
        return zh ? '这是同一位客户。' : 'That is the same customer twice.';
      default:
        return zh
          ? '其中一位客户已不存在或已被合并。'
          : 'One of them no longer exists or was merged already.';
    }
  },
};
