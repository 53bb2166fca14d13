import { type Lang, messages } from '../../kernel/i18n/index.ts';
import { type ReachedCustomer, reachCustomer } from '../../kernel/permissions/reach.ts';
import type { Viewer } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type CustomerSummary, searchCustomers } from '../../records/customers/search.ts';
import type { CommandContext } from './command.ts';

export type CustomerPick =
  | { kind: 'one'; customer: CustomerSummary }
  | { kind: 'none' }
  | { kind: 'many'; matches: CustomerSummary[] };

/**
 * The customer a command names (`#12`, a name, a phone), within what the asker may see: one when the query is an id,
 * a single match, or exactly one customer's whole name; otherwise the candidates.
 */
export async function pickCustomer(deps: CoreDeps, viewer: Viewer, query: string): Promise<CustomerPick> {
  const matches = await searchCustomers(deps.db, { q: query, limit: 6, viewer });
  if (matches.length === 0) return { kind: 'none' };
  const exact = matches.filter((m) => m.name === query.trim());
  const only = matches.length === 1 ? matches[0] : exact.length === 1 ? exact[0] : undefined;
  return only ? { kind: 'one', customer: only } : { kind: 'many', matches };
}

/**
 * Splits the customer reference off the front of a command's arguments: `#12 …`, a phone (`+86 138 1234 5678 …`),
 * a quoted name (`"John Smith" …`), or the first word.
 */
export function splitCustomerRef(args: string): { ref: string; rest: string } {
  const s = args.trim();
  const quoted = /^["“「]([^"”」]+)["”」]\s*([\s\S]*)$/.exec(s);
  if (quoted) return { ref: (quoted[1] ?? '').trim(), rest: (quoted[2] ?? '').trim() };
  const phone = /^(\+?\d[\d\s-]{5,}\d)(?=\s|$)\s*([\s\S]*)$/.exec(s);
  if (phone && (phone[1] ?? '').replace(/\D/g, '').length >= 7) {
    return { ref: (phone[1] ?? '').trim(), rest: (phone[2] ?? '').trim() };
  }
  const word = /^(\S+)\s*([\s\S]*)$/.exec(s);
  return { ref: word?.[1] ?? '', rest: (word?.[2] ?? '').trim() };
}

/**
 * The one customer a reference names within the viewer's scope, or the answer to give instead: "no customer
 * matches … — did you mean …?" or the choices when several match. A customer outside the scope reads as unknown.
 */
export async function customerOrReply(
  deps: CoreDeps,
  viewer: Viewer,
  lang: Lang,
  ref: string,
): Promise<{ customer: CustomerSummary; reply?: undefined } | { customer?: undefined; reply: string }> {
  const pick = await pickCustomer(deps, viewer, ref);
  if (pick.kind === 'one') return { customer: pick.customer };
  if (pick.kind === 'many') {
    const list = pick.matches.slice(0, 5).map(describe).join('\n');
    return { reply: `${messages(lang).customerArg.many(ref)}\n${list}` };
  }
  const similar = await similarCustomers(deps, viewer, ref);
  const t = messages(lang).customerArg;
  return {
    reply:
      similar.length > 0
        ? `${t.none(ref)} ${t.didYouMean}\n${similar.map(describe).join('\n')}`
        : t.none(ref),
  };
}

/**
 * The one customer a reference names, reached by the asker for a write (`ReachedCustomer`), or the answer to give
 * instead, as `customerOrReply`.
 */
export async function reachOrReply(
  ctx: Pick<CommandContext, 'deps' | 'viewer' | 'actor' | 'lang'>,
  ref: string,
): Promise<
  | { customer: CustomerSummary; reached: ReachedCustomer; reply?: undefined }
  | { customer?: undefined; reached?: undefined; reply: string }
> {
  const found = await customerOrReply(ctx.deps, ctx.viewer, ctx.lang, ref);
  if (!found.customer) return found;
  const reached = await reachCustomer(ctx.deps.db, ctx.actor, found.customer.id);
  return reached
    ? { customer: found.customer, reached }
    : { reply: messages(ctx.lang).customerArg.none(ref) };
}

/** A customer in one line, for choices: `#12 王芳 · 华南贸易`. */
export const describe = (c: { id: number; name: string; company: string | null }): string =>
  `#${c.id} ${c.name}${c.company ? ` · ${c.company}` : ''}`;

/** Customers whose names share a part with a reference that matched nothing (a typo, one wrong character). */
async function similarCustomers(deps: CoreDeps, viewer: Viewer, ref: string): Promise<CustomerSummary[]> {
  const chars = [...ref.trim()];
  if (chars.length < 2 || ref.startsWith('#') || /^\+?[\d\s-]+$/.test(ref)) return [];
  const cjk = /[\u4e00-\u9fff]/.test(ref);
  // One character too many or wrong (王方芳 → 王芳), then shared pairs; Latin names by their start.
  const dropOne =
    chars.length >= 3 ? chars.map((_, i) => [...chars.slice(0, i), ...chars.slice(i + 1)].join('')) : [];
  const pairs = chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
  const parts = cjk
    ? [...new Set([...dropOne, ...(chars.length >= 3 ? pairs : [chars[0] as string])])]
    : [chars.slice(0, Math.min(3, chars.length - 1)).join('')];
  const found = new Map<number, CustomerSummary>();
  for (const part of parts) {
    for (const c of await searchCustomers(deps.db, { q: part, limit: 3, viewer })) found.set(c.id, c);
    if (found.size >= 3) break;
  }
  return [...found.values()].slice(0, 3);
}
