import { type Lang, messages } from '../../kernel/i18n/index.ts';
import { signalName } from '../../records/customers/duplicate-notices.ts';
import { openSuggestionsInScope } from '../../records/customers/duplicate-pairs.ts';
import { type Evidence, maskedDetail } from '../../records/customers/duplicate-signals.ts';
import { dismissSuggestion, duplicatesOf } from '../../records/customers/duplicates.ts';
import type { Command, CommandContext } from './command.ts';
import { helpOf, usage } from './common.ts';
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
  ...helpOf('dupes'),
  hints: ['重复', '同一个人', 'duplicate'],
  where: 'private',
  async run(ctx) {
    const { deps, viewer, lang } = ctx;
    const t = messages(lang).commands.dupes;
    const args = ctx.args.trim();
    const dismiss = /^(dismiss|忽略)(?:\s+|$)([\s\S]*)$/i.exec(args);
    if (dismiss) return dismissPair(ctx, dismiss[2] ?? '');
    if (args) {
      const found = await customerOrReply(deps, viewer, lang, args);
      if (!found.customer) return found.reply;
      const c = found.customer;
      const who = `#${c.id} ${c.name}`;
      const dupes = await duplicatesOf(deps, c.id, viewer, LISTED);
      if (dupes.length === 0) return t.noneFor(who);
      const names = await namesOf(
        ctx,
        dupes.map((d) => d.customerId),
      );
      const head = t.headFor(who);
      const lines = dupes.map(
        (d) =>
          `#${d.customerId} ${names.get(d.customerId) ?? ''} · ${d.score} · ${evidenceText(d.evidence, lang)}`,
      );
      return [head, ...lines, t.footer].join('\n');
    }
    const pairs = await openSuggestionsInScope(deps.db, viewer, LISTED);
    const rep = viewer.role === 'rep';
    if (pairs.length === 0) return rep ? t.noneOfYours : t.none;
    const head = rep ? t.headOfYours : t.head;
    const lines = pairs.map(
      (p) =>
        `#${p.a.id} ${p.a.name} ↔ #${p.b.id} ${p.b.name} · ${p.score} · ${evidenceText(p.evidence, lang)}`,
    );
    return [head, ...lines, t.footer].join('\n');
  },
};

async function dismissPair(ctx: CommandContext, args: string): Promise<string> {
  const { deps, lang } = ctx;
  const t = messages(lang).commands.dupes;
  const first = splitCustomerRef(args);
  const second = splitCustomerRef(first.rest);
  if (!first.ref || !second.ref) return usage(ctx, t.dismissUsage);
  const a = await reachOrReply(ctx, first.ref);
  if (!a.customer) return a.reply;
  const b = await reachOrReply(ctx, second.ref);
  if (!b.customer) return b.reply;
  if (!(await dismissSuggestion(deps, a.reached, b.reached))) return t.noPair(a.customer.id, b.customer.id);
  return t.dismissed(`#${a.customer.id} ${a.customer.name}`, `#${b.customer.id} ${b.customer.name}`);
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
    .join(messages(lang).commands.dupes.evidenceSep);
}
