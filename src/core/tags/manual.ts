import { audit } from '../audit.ts';
import type { OutboundAction } from '../outbound.ts';
import type { CoreDeps } from '../runtime.ts';
import { addTag, mirrorTagChange, removeTag } from './tags.ts';

export interface ManualTagRequest {
  customerId: number;
  name: string;
  /** true adds the tag, false removes it. */
  on: boolean;
  actor: { kind: 'staff' | 'api'; staffId?: number };
  /** The channel the request came through, for the audit log. */
  via?: string;
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
  const name = r.name.trim();
  const changed = r.on
    ? await addTag(
        deps.db,
        { customerId: r.customerId, name, source: 'manual', actorStaffId: r.actor.staffId ?? null },
        now,
      )
    : await removeTag(deps.db, r.customerId, name);
  if (!changed) return { changed, actions: [] };
  await audit(deps.db, now, {
    actorKind: r.actor.kind,
    actorStaffId: r.actor.staffId ?? null,
    action: r.on ? 'customer.tag_added' : 'customer.tag_removed',
    subjectKind: 'customer',
    subjectId: r.customerId,
    detail: { tag: name },
    ...(r.via ? { via: r.via } : {}),
  });
  const actions = await mirrorTagChange(
    deps,
    r.customerId,
    r.on ? { add: [name], remove: [] } : { add: [], remove: [name] },
    key,
  );
  return { changed, actions };
}
