import type { Context } from 'hono';
import type { Platform } from '../../db/schema.ts';
import type { Actor } from '../core/kernel/permissions/actor.ts';
import { contactsShown } from '../core/kernel/permissions/contacts-shown.ts';
import { type Viewer, viewerOf } from '../core/kernel/permissions/scope.ts';
import type { CoreDeps } from '../core/kernel/runtime.ts';
import { findStaff } from '../core/records/staff/registry.ts';

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

/** The token as core functions take it: the bound staff member's role and scope, or unrestricted. */
export const actorOf = (v: ApiViewer): Actor => ({
  kind: 'api',
  staffId: v.kind === 'staff' ? v.viewer.staffId : null,
  viewer: v.kind === 'staff' ? v.viewer : null,
  via: 'api',
});

/** Customers as the token may be shown them (`contactsShown`), the read audited with the request's route. */
export function contactsFor<T extends { id: number; phone: string | null; email: string | null }>(
  core: CoreDeps,
  v: ApiViewer,
  items: T[],
  what: string,
  textUnmasked: readonly number[] = [],
): Promise<T[]> {
  return contactsShown(core, actorOf(v), items, { request: what }, textUnmasked);
}

/** The viewer stored on the request by the API's auth middleware. */
export const requestViewer = (c: Context): ApiViewer => c.get('apiViewer' as never) as ApiViewer;

/** The request's actor for core functions: the bound staff member's role and scope, or unrestricted (admin token). */
export const requestActor = (c: Context): Actor => actorOf(requestViewer(c));
