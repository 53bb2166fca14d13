import type { Lang } from '../i18n.ts';
import { openSuggestionsInScope } from '../identity/listing.ts';
import { signalName } from '../identity/notify.ts';
import { type Evidence, maskedDetail } from '../identity/signals.ts';
import { dismissSuggestion, duplicatesOf } from '../identity/suggestions.ts';
import type { Command, CommandContext } from './command.ts';
import { usage } from './common.ts';
import { customerOrReply, reachOrReply, splitCustomerRef } from './customer-arg.ts';

const LISTED = 10;

/**
 * `/dupes 重复 [customer]`: likely duplicates in the asker's scope (both customers visible; for a rep, pairs with one
 * of their own customers), strongest first, with their evidence; with a customer, that customer's.
 * `/dupes dismiss 忽略 <a> <b>`: they are two people.
 */
export const dupesCommand: Command = {
  name: 'dupes',
  aliases: ['重复'],
  usage: {
    zh: '/dupes 重复 [客户] · /dupes 忽略 <客户> <客户>',
    en: '/dupes [customer] · /dupes dismiss <customer> <customer>',
  },
  summary: { zh: '可能重复的客户', en: 'likely duplicate customers' },
  hints: ['重复', '同一个人', 'duplicate'],
  where: 'private',
  async run(ctx) {
    const { deps, viewer, lang } = ctx;
    const args = ctx.args.trim();
    const dismiss = /^(dismiss|忽略)(?:\s+|$)([\s\S]*)$/i.exec(args);
    if (dismiss) return dismissPair(ctx, dismiss[2] ?? '');
    if (args) {
      const found = await customerOrReply(deps, viewer, lang, args);
      if (!found.customer) return found.reply;
      const c = found.customer;
      const dupes = await duplicatesOf(deps, c.id, viewer, LISTED);
      if (dupes.length === 0)
        return lang === 'zh'
          ? `#${c.id} ${c.name} 没有待处理的重复建议。`
          : `No open duplicate suggestions for #${c.id} ${c.name}.`;
      const names = await namesOf(
        ctx,
        dupes.map((d) => d.customerId),
      );
      const head =
        lang === 'zh' ? `#${c.id} ${c.name} 可能的重复客户：` : `Possible duplicates of #${c.id} ${c.name}:`;
      const lines = dupes.map(
        (d) =>
          `#${d.customerId} ${names.get(d.customerId) ?? ''} · ${d.score} · ${evidenceText(d.evidence, lang)}`,
      );
      return [head, ...lines, footer(lang)].join('\n');
    }
    const pairs = await openSuggestionsInScope(deps.db, viewer, LISTED);
    const rep = viewer.role === 'rep';
    if (pairs.length === 0 && rep)
      return lang === 'zh'
        ? '你名下的客户没有待处理的重复建议（公海客户的：/dupes <客户>）。'
        : 'None of your customers has an open duplicate suggestion (a pool customer’s: /dupes <customer>).';
    if (pairs.length === 0)
      return lang === 'zh' ? '没有待处理的重复客户建议。' : 'No open duplicate suggestions.';
    const head = rep
      ? lang === 'zh'
        ? '你名下客户可能的重复（按可能性排序）：'
        : 'Likely duplicates of your customers (strongest first):'
      : lang === 'zh'
        ? '可能重复的客户（按可能性排序）：'
        : 'Likely duplicates (strongest first):';
    const lines = pairs.map(
      (p) =>
        `#${p.a.id} ${p.a.name} ↔ #${p.b.id} ${p.b.name} · ${p.score} · ${evidenceText(p.evidence, lang)}`,
    );
    return [head, ...lines, footer(lang)].join('\n');
  },
};

async function dismissPair(ctx: CommandContext, args: string): Promise<string> {
  const { deps, lang } = ctx;
  const first = splitCustomerRef(args);
  const second = splitCustomerRef(first.rest);
  if (!first.ref || !second.ref)
    return usage(ctx, lang === 'zh' ? '/dupes 忽略 <客户> <客户>' : '/dupes dismiss <customer> <customer>');
  const a = await reachOrReply(ctx, first.ref);
  if (!a.customer) return a.reply;
  const b = await reachOrReply(ctx, second.ref);
  if (!b.customer) return b.reply;
  if (!(await dismissSuggestion(deps, a.reached, b.reached)))
    return lang === 'zh'
      ? `#${a.customer.id} 与 #${b.customer.id} 之间没有待处理的重复建议。`
      : `There is no open duplicate suggestion between #${a.customer.id} and #${b.customer.id}.`;
  return lang === 'zh'
    ? `已忽略：#${a.customer.id} ${a.customer.name} 与 #${b.customer.id} ${b.customer.name} 不再被建议合并。`
    : `Dismissed: #${a.customer.id} ${a.customer.name} and #${b.customer.id} ${b.customer.name} will not be suggested again.`;
}

async function namesOf(ctx: CommandContext, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.deps.db
    .selectFrom('customers')
    .select(['id', 'display_name'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** The evidence in the reader's language; phones and emails always masked (a chat is not the place to read them). */
export function evidenceText(evidence: Evidence[], lang: Lang): string {
  return evidence
    .map((e) => `${signalName(e.signal, lang)} ${maskedDetail(e)}`)
    .join(lang === 'zh' ? '；' : '; ');
}

const footer = (lang: Lang) =>
  lang === 'zh'
    ? '合并：/merge <客户> <客户> · 不是同一人：/dupes 忽略 <客户> <客户>'
    : 'Merge: /merge <customer> <customer> · not the same person: /dupes dismiss <customer> <customer>';
