import { messages } from '../../kernel/i18n/index.ts';
import { canSeeCustomer } from '../../kernel/permissions/scope.ts';
import { findMerge, latestMergeInto, type MergeRecord, undoMerge } from '../../records/merge/merge.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';
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
  ...helpOf('unmerge'),
  hints: ['取消合并', '撤销合并', 'unmerge'],
  async run(ctx) {
    const arg = ctx.args.trim();
    if (!arg) return usage(ctx, this.usage[ctx.lang]);
    const t = messages(ctx.lang).commands.unmerge;
    const found = await mergeNamed(ctx, arg);
    if (typeof found === 'string') return found;
    if (!found) return t.notFound(arg);
    const done = await undoMerge(ctx.deps, found.id, ctx.actor);
    switch (done.kind) {
      case 'undone':
        return t.undone(done.mergeId, done.mergedId, done.survivorId);
      case 'not_applied':
        return t.notApplied(done.mergeId);
      case 'blocked':
        return t.blocked(found.survivorId, done.by);
      default:
        return t.notFound(arg);
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
