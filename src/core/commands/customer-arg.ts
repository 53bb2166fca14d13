import { type CustomerSummary, searchCustomers } from '../customers/search.ts';
import type { Viewer } from '../permissions/scope.ts';
import type { CoreDeps } from '../runtime.ts';

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
