import { audit } from '../../kernel/audit.ts';
import { auditedAs } from '../../kernel/permissions/actor.ts';
import type { ReachedCustomer } from '../../kernel/permissions/reach.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { OutboundAction } from '../../ports/outbound.ts';
import { addTag, mirrorTagChange, removeTag } from './tags.ts';

export interface ManualTagRequest {
  /** The customer, as the actor reached them. */
  customer: ReachedCustomer;
  name: string;
  /** true adds the tag, false removes it. */
  on: boolean;
}

/**
 * A person tags or untags a customer in Liaison. The change is mirrored to the platforms that keep tags on their
 * contacts (returned as actions for the outbox); nothing is mirrored when nothing changed.
 */
export async function setTagByHand(
  deps: CoreDeps,
  r: ManualTagRequest,
  key: string,
): Promise<{ changed: boolean; actions: OutboundAction[] }> {
  const now = deps.clock.now();
  const { id: customerId, actor } = r.customer;
  const name = r.name.trim();
  const changed = r.on
    ? await addTag(deps.db, { customerId, name, source: 'manual', actorStaffId: actor.staffId }, now)
    : await removeTag(deps.db, customerId, name);
  if (!changed) return { changed, actions: [] };
  await audit(deps.db, now, {
    ...auditedAs(actor),
    action: r.on ? 'customer.tag_added' : 'customer.tag_removed',
    subjectKind: 'customer',
    subjectId: customerId,
    detail: { tag: name },
  });
  const actions = await mirrorTagChange(
    deps,
    customerId,
    r.on ? { add: [name], remove: [] } : { add: [], remove: [name] },
    key,
  );
  return { changed, actions };
}
