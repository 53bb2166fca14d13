import type { Direction } from '../../../db/schema.ts';
import { audit } from '../kernel/audit.ts';
import type { CoreDeps } from '../kernel/runtime.ts';
import type { MessageEvent, PersonRef } from '../ports/events.ts';
import { resolveLinkedCustomer } from '../records/merge/same-union.ts';

/**
 * The customer behind a message (created on first sight, with an audit entry naming where they came from, and the
 * message's time as their last contact).
 */
export async function resolveWritingCustomer(
  deps: CoreDeps,
  ev: MessageEvent,
  person: PersonRef,
  opts: { source: string; ownerStaffId: number | null; direction: Direction },
) {
  const now = deps.clock.now();
  const resolved = await resolveLinkedCustomer(deps, ev.platform, person, now, {
    source: opts.source,
    ownerStaffId: opts.ownerStaffId,
    firstMessage: { at: ev.occurredAt, direction: opts.direction },
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
