import type { Kysely } from 'kysely';
import type { Database, Platform, StaffRow } from '../../../../db/schema.ts';
import type { WebIdentity } from '../../ports/adapter.ts';
import { findStaff, learnStaffProfile } from './registry.ts';
import { redeemSignInLink, startWebSession } from './web-sessions.ts';

/** A session begun, or why none was: the account is no active staff member, or the link is unusable. */
export type WebSignInResult =
  | { ok: true; token: string; expiresAt: number; staff: StaffRow }
  | { ok: false; reason: 'not_staff' | 'link_unusable' };

/**
 * Signs in the staff member bound to a platform account the platform's client vouched for (the adapter checked the
 * proof). Only staff already registered and active sign in; the account's name and language are learnt as in chat.
 */
export async function signInWithPlatform(
  db: Kysely<Database>,
  o: { platform: Platform; peopleWorkspace: string; identity: WebIdentity; ttlMs: number; now: number },
): Promise<WebSignInResult> {
  const known = await findStaff(db, {
    platform: o.platform,
    workspace: o.peopleWorkspace,
    externalId: o.identity.externalId,
  });
  if (!known) return { ok: false, reason: 'not_staff' };
  const staff = await learnStaffProfile(db, known, { ...o.identity, workspace: o.peopleWorkspace }, o.now);
  const session = await startWebSession(db, {
    staffId: staff.id,
    host: o.platform,
    ttlMs: o.ttlMs,
    now: o.now,
  });
  if (!session) return { ok: false, reason: 'not_staff' };
  const { identityId: _i, identityName: _n, identityUsername: _u, ...row } = staff;
  return { ok: true, ...session, staff: row };
}

/** Signs in with a one-time link from the chat: used once, within its ten minutes, by a staff member still active. */
export async function signInWithLink(
  db: Kysely<Database>,
  o: { token: string; ttlMs: number; now: number },
): Promise<WebSignInResult> {
  const staffId = await redeemSignInLink(db, o.token, o.now);
  if (staffId === null) return { ok: false, reason: 'link_unusable' };
  const session = await startWebSession(db, { staffId, host: 'link', ttlMs: o.ttlMs, now: o.now });
  if (!session) return { ok: false, reason: 'link_unusable' };
  const staff = await db.selectFrom('staff').selectAll().where('id', '=', staffId).executeTakeFirstOrThrow();
  return { ok: true, ...session, staff };
}
