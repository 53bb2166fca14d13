import { messages } from '../../kernel/i18n/index.ts';
import { setTagByHand } from '../../records/tags/manual.ts';
import type { Command } from './command.ts';
import { helpOf, splitList, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/** `/tag` and `/untag`: manual tags, mirrored to the platforms that keep tags (WeCom corp tags). */
function tagCommand(on: boolean): Command {
  return {
    name: on ? 'tag' : 'untag',
    aliases: on ? ['标签', '打标签'] : ['去标签', '删标签'],
    ...helpOf(on ? 'tag' : 'untag'),
    hints: on ? ['标签', '标成', '标记为', 'tag'] : ['去掉标签', 'untag'],
    async run(ctx) {
      const { ref, rest } = splitCustomerRef(ctx.args);
      const tags = [...new Set(splitList(rest))];
      if (!ref || tags.length === 0) return usage(ctx, this.usage[ctx.lang]);
      const t = messages(ctx.lang).commands.tag;
      if (tags.some((tag) => [...tag].length > 30)) return t.tooLong;
      const found = await reachOrReply(ctx, ref);
      if (!found.customer) return found.reply;
      const c = found.customer;
      const changed: string[] = [];
      for (const [i, name] of tags.entries()) {
        const r = await setTagByHand(ctx.deps, { customer: found.reached, name, on }, `${ctx.key}:tag:${i}`);
        if (r.changed) changed.push(name);
        for (const action of r.actions) ctx.queue(action);
      }
      return t.answer(
        on,
        `#${c.id} ${c.name}`,
        changed,
        tags.filter((tag) => !changed.includes(tag)),
      );
    },
  };
}

export const tagCommandOn = tagCommand(true);
export const untagCommand = tagCommand(false);
