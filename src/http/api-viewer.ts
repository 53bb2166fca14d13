import type { Context } from 'hono';
import type { Platform } from '../../db/schema.ts';
import { audit } from '../core/audit.ts';
import type { Actor } from '../core/permissions/actor.ts';
import { maskText, visibleContact } from '../core/permissions/mask.ts';
import { mayUnmask, type Viewer, viewerOf } from '../core/permissions/scope.ts';
import type { CoreDeps } from '../core/runtime.ts';
import { findStaff } from '../core/staff/registry.ts';

/** Who the API token acts as: unrestricted (admin) unless bound to a staff member. */
export type ApiViewer = { kind: 'admin' } | { kind: 'staff'; viewer: Viewer };

/**
 * The token's viewer for this request: the bound staff member's current role and scope (so a role change applies at
 * once), or null when that staff member no longer exists or is inactive (the API then refuses: fail closed).
 */
export async function apiViewer(
  core: CoreDeps,
  bound: { platform: Platform; userId: string } | null,
): Promise<ApiViewer | null> {
  if (!bound) return { kind: 'admin' };
  const adapter = core.adapters.get(bound.platform);
  if (!adapter) return null;
  const staff = await findStaff(core.db, {
    platform: bound.platform,
    workspace: adapter.peopleWorkspace,
    externalId: bound.userId,
  });
  return staff ? { kind: 'staff', viewer: viewerOf(staff) } : null;
}

export const viewerIn = (v: ApiViewer): Viewer | undefined => (v.kind === 'staff' ? v.viewer : undefined);

/** Whether the token sees phones, emails and ID numbers whole (an admin token, or a staff member above rep). */
export const apiMayUnmask = (v: ApiViewer): boolean => v.kind === 'admin' || mayUnmask(v.viewer);

/** A name or company can carry a phone (a Telegram name, a WeCom remark): masked like free text. */
function freeTextMasked<T>(item: T): T {
  const o = item as { name?: unknown; company?: unknown };
  return {
    ...item,
    ...(typeof o.name === 'string' ? { name: maskText(o.name) } : {}),
    ...(typeof o.company === 'string' ? { company: maskText(o.company) } : {}),
  };
}

/**
 * Masks phone and email (and contact data in names) for a token without the right to see them; records unmasked reads in the audit log, counting
 * the customers in `textUnmasked` too (free text about them, masked by the core read, was shown whole).
 */
export async function contactsFor<T extends { id: number; phone: string | null; email: string | null }>(
  core: CoreDeps,
  v: ApiViewer,
  items: T[],
  what: string,
  textUnmasked: readonly number[] = [],
): Promise<T[]> {
  const unmask = apiMayUnmask(v);
  const shown = items.map((i) => ({ ...(unmask ? i : freeTextMasked(i)), ...visibleContact(unmask, i) }));
  const unmasked = shown.filter((i) => i.unmasked || textUnmasked.includes(i.id)).map((i) => i.id);
  if (unmasked.length > 0) {
    await audit(core.db, core.clock.now(), {
      actorKind: 'api',
      actorStaffId: v.kind === 'staff' ? v.viewer.staffId : null,
      action: 'customer.unmasked_read',
      subjectKind: 'customer',
      subjectId: unmasked.join(','),
      detail: { request: what },
    });
  }
  return shown.map(({ unmasked: _, ...rest }) => rest as unknown as T);
}

/** The viewer stored on the request by the API's auth middleware. */
export const requestViewer = (c: Context): ApiViewer => c.get('apiViewer' as never) as ApiViewer;

/** The request's actor for core functions: the bound staff member's role and scope, or unrestricted (admin token). */
export function requestActor(c: Context): Actor {
  const viewer = viewerIn(requestViewer(c)) ?? null;
  return { kind: 'api', staffId: viewer?.staffId ?? null, viewer, via: 'api' };
}
