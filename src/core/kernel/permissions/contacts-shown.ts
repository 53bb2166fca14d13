import { audit } from '../audit.ts';
import type { CoreDeps } from '../runtime.ts';
import { type Actor, auditedAs } from './actor.ts';
import { maskText, visibleContact } from './mask.ts';
import { mayUnmask } from './scope.ts';

/** Whether the actor reads phones, emails and ID numbers whole (unrestricted actors, staff above rep). */
export const actorMayUnmask = (actor: Actor): boolean => actor.viewer === null || mayUnmask(actor.viewer);

/** Records that the actor was shown these customers' contact data whole (`customer.unmasked_read`). */
export async function auditUnmaskedRead(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  actor: Actor,
  customerIds: readonly number[],
  detail: Record<string, unknown>,
): Promise<void> {
  if (customerIds.length === 0) return;
  await audit(deps.db, deps.clock.now(), {
    ...auditedAs(actor),
    action: 'customer.unmasked_read',
    subjectKind: 'customer',
    subjectId: customerIds.join(','),
    detail,
  });
}

/**
 * Customers as the actor may be shown them: phone and email masked, and contact data inside the name and company,
 * for those who may not unmask; for the others whole, with the read audited (counting `textUnmasked`: customers whose
 * free text, masked by the read itself, was shown whole).
 */
export async function contactsShown<
  T extends {
    id: number;
    phone: string | null;
    email: string | null;
    name?: string;
    company?: string | null;
  },
>(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  actor: Actor,
  items: T[],
  detail: Record<string, unknown>,
  textUnmasked: readonly number[] = [],
): Promise<T[]> {
  const unmask = actorMayUnmask(actor);
  const shown = items.map((i) => ({
    ...i,
    ...(unmask || i.name === undefined ? {} : { name: maskText(i.name) }),
    ...(unmask || typeof i.company !== 'string' ? {} : { company: maskText(i.company) }),
    ...visibleContact(unmask, i),
  }));
  await auditUnmaskedRead(
    deps,
    actor,
    shown.filter((i) => i.unmasked || textUnmasked.includes(i.id)).map((i) => i.id),
    detail,
  );
  return shown.map(({ unmasked: _, ...rest }) => rest as unknown as T);
}
