import { setTagByHand } from '../tags/manual.ts';
import type { Command, CommandContext } from './command.ts';
import { splitList, usage } from './common.ts';
import { reachOrReply, splitCustomerRef } from './customer-arg.ts';

/** `/tag` and `/untag`: manual tags, mirrored to the platforms that keep tags (WeCom corp tags). */
function tagCommand(on: boolean): Command {
  return {
    name: on ? 'tag' : 'untag',
    aliases: on ? ['标签', '打标签'] : ['去标签', '删标签'],
    usage: on
      ? { zh: '/tag 标签 <客户> <标签…>', en: '/tag <customer> <tag…>' }
      : { zh: '/untag 去标签 <客户> <标签…>', en: '/untag <customer> <tag…>' },
    summary: on ? { zh: '给客户打标签', en: 'tag a customer' } : { zh: '去掉客户标签', en: 'remove tags' },
    hints: on ? ['标签', '标成', '标记为', 'tag'] : ['去掉标签', 'untag'],
    async run(ctx) {
      const { ref, rest } = splitCustomerRef(ctx.args);
      const tags = [...new Set(splitList(rest))];
      if (!ref || tags.length === 0) return usage(ctx, this.usage[ctx.lang]);
      if (tags.some((t) => [...t].length > 30))
        return ctx.lang === 'zh' ? '标签最长30个字。' : 'A tag is at most 30 characters.';
      const found = await reachOrReply(ctx, ref);
      if (!found.customer) return found.reply;
      const c = found.customer;
      const changed: string[] = [];
      for (const [i, name] of tags.entries()) {
        const r = await setTagByHand(ctx.deps, { customer: found.reached, name, on }, `${ctx.key}:tag:${i}`);
        if (r.changed) changed.push(name);
        for (const action of r.actions) ctx.queue(action);
      }
      return answer(ctx, on, `#${c.id} ${c.name}`, tags, changed);
    },
  };
}

function answer(ctx: CommandContext, on: boolean, who: string, asked: string[], changed: string[]): string {
  const same = asked.filter((t) => !changed.includes(t));
  if (ctx.lang === 'zh') {
    const done = changed.length
      ? `已${on ? '为' : '从'}${who}${on ? '添加' : '去掉'}标签：${changed.join('、')}。`
      : '';
    const kept = same.length ? `${who}${on ? '已有' : '没有'}标签：${same.join('、')}。` : '';
    return `${done}${kept}`;
  }
  const done = changed.length ? `${on ? 'Tagged' : 'Untagged'} ${who}: ${changed.join(', ')}.` : '';
  const kept = same.length ? `${on ? 'Already tagged' : 'Not tagged'}: ${same.join(', ')}.` : '';
  return [done, kept].filter(Boolean).join(' ');
}

export const tagCommandOn = tagCommand(true);
export const untagCommand = tagCommand(false);
