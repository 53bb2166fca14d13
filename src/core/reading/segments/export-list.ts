import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import { mayUnmask } from '../../kernel/permissions/scope.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { type ExportedCustomer, exportCustomers } from '../../records/imports/export-customers.ts';
import { mayImport } from '../../records/imports/import-jobs.ts';
import { type CustomerPageQuery, listConditions } from './customer-page.ts';

export type ExportListOutcome =
  | { kind: 'exported'; customers: number }
  | { kind: 'forbidden' | 'unknown_segment' | 'bad_segment' };

/**
 * The console's export: every customer of the list as the actor filters it (and may see it), handed to `write` a
 * batch at a time through the export the CLI uses (keyset pages, so 100,000 customers never sit in memory), phones
 * and emails masked unless the actor's role may see them whole, audited as the actor.
 */
export async function exportCustomerList(
  deps: CoreDeps,
  actor: Actor,
  query: Omit<CustomerPageQuery, 'after' | 'limit'>,
  write: (batch: ExportedCustomer[]) => Promise<void>,
): Promise<ExportListOutcome> {
  if (!mayImport(actor)) return { kind: 'forbidden' };
  const filtered = await listConditions(deps, actor, query);
  if (filtered.kind !== 'ok') return filtered;
  const { conditions } = filtered;
  const { actorKind, via } = auditedAs(actor);
  const customers = await exportCustomers(
    deps.db,
    {
      ...(actor.viewer ? { viewer: actor.viewer } : {}),
      unmask: actor.viewer === null || mayUnmask(actor.viewer),
      actorStaffId: actor.staffId,
      now: deps.clock.now(),
      where: (eb: ExpressionBuilder<Database, 'customers'>) => eb.and(conditions.map((c) => c(eb))),
      audited: { actorKind, via },
    },
    write,
  );
  return { kind: 'exported', customers };
}
