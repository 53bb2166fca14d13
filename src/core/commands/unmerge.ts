import { findMerge, latestMergeInto, type MergeRecord, undoMerge } from '../merge/merge.ts';
import { canSeeCustomer } from '../permissions/scope.ts';
import type { Command, CommandContext } from './command.ts';
import { usage } from './common.ts';
import { customerOrReply } from './customer-arg.ts';

/** `合并#7` / `merge 7` / `m7`: a merge named by its id rather than by the kept customer. */
const MERGE_REF = /^(?:合并|merge|m)\s*#?(\d+)$/i;

/**
 * `/unmerge 取消合并 <customer | 合并#id>`: undoes the latest merge into that customer (or the one named), restoring
 * both records as they were. The asker must be able to see the kept customer.
 */
export const unmergeCommand: Command = {
  name: 'unmerge',
  aliases: ['取消合并', '撤销合并'],
  usage: { zh: '/unmerge 取消合并 <客户|合并#编号>', en: '/unmerge <customer | merge#id>' },
  summary: { zh: '撤销客户合并', en: 'undo a customer merge' },
  hints: ['取消合并', '撤销合并', 'unmerge'],
  async run(ctx) {
    const arg = ctx.args.trim();
    if (!arg) return usage(ctx, this.usage[ctx.lang]);
    const zh = ctx.lang === 'zh';
    const found = await mergeNamed(ctx, arg);
    if (typeof found === 'string') return found;
    if (!found) return zh ? `没有找到「${arg}」的合并记录。` : `No merge found for "${arg}".`;
    const done = await undoMerge(ctx.deps, found.id, ctx.actor);
    switch (done.kind) {
      case 'undone':
        return zh
          ? `已撤销合并 #${done.mergeId}：#${done.mergedId} 与 #${done.survivorId} 恢复为两位客户。`
          : `Undid merge #${done.mergeId}: #${done.mergedId} and #${done.survivorId} are two customers again.`;
      case 'not_applied':
        return zh ? `合并 #${done.mergeId} 已经撤销过了。` : `Merge #${done.mergeId} was undone already.`;
      case 'blocked':
        return zh
          ? `#${found.survivorId} 之后又被合并了（合并 #${done.by}），请先撤销那次合并。`
          : `#${found.survivorId} was merged again since (merge #${done.by}); undo that one first.`;
      default:
        return zh ? `没有找到「${arg}」的合并记录。` : `No merge found for "${arg}".`;
    }
  },
};

/** The merge the argument names, within the asker's scope; a reply string when the customer reference needs one. */
async function mergeNamed(ctx: CommandContext, arg: string): Promise<MergeRecord | string | undefined> {
  const byId = MERGE_REF.exec(arg);
  if (byId) {
    const merge = await findMerge(ctx.deps.db, Number(byId[1]));
    // Out of scope reads as unknown.
    return merge && (await canSeeCustomer(ctx.deps.db, ctx.viewer, merge.survivorId)) ? merge : undefined;
  }
  const c = await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, arg);
  if (!c.customer) return c.reply;
  return latestMergeInto(ctx.deps.db, c.customer.id);
}
