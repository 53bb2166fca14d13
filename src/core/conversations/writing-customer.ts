import { audit } from '../audit.ts';
import type { MessageEvent, PersonRef } from '../events.ts';
import { resolveLinkedCustomer } from '../identity/same-union.ts';
import type { CoreDeps } from '../runtime.ts';

/** The customer behind a message (created on first sight, with an audit entry naming where they came from). */
export async function resolveWritingCustomer(
  deps: CoreDeps,
  ev: MessageEvent,
  person: PersonRef,
  opts: { source: string; ownerStaffId: number | null },
) {
  const now = deps.clock.now();
  const resolved = await resolveLinkedCustomer(deps, ev.platform, person, now, {
    source: opts.source,
    ownerStaffId: opts.ownerStaffId,
    firstContactAt: ev.occurredAt,
  });
  if (resolved.created) {
    await audit(deps.db, now, {
      actorKind: 'system',
      action: 'customer.created',
      subjectKind: 'customer',
      subjectId: resolved.customerId,
      detail: { source: opts.source },
    });
  }
  return resolved;
}
