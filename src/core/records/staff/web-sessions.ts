import type { Kysely } from 'kysely';
import type { Database, StaffRow } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';

// Signing in to the web app: one-time links from the chat, and sessions. Only SHA-256 hashes of tokens are stored.

/** How long a `/web` link stays usable. */
export const SIGN_IN_LINK_TTL_MS = 10 * 60_000;
/** `last_seen_at` is written at most this often per session (every page load would otherwise be a write). */
const SEEN_EVERY_MS = 60_000;

/** A fresh unguessable token: 32 random bytes, base64url. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** SHA-256 of a token, hex: what the tables keep. */
export async function tokenHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Issues a one-time sign-in link token for a staff member (audited); the caller makes the URL of it. */
export async function issueSignInLink(
  db: Kysely<Database>,
  staffId: number,
  via: string,
  now: number,
): Promise<{ token: string; expiresAt: number }> {
  const token = newToken();
  const expiresAt = now + SIGN_IN_LINK_TTL_MS;
  await db
    .insertInto('web_sign_in_links')
    .values({
      token_hash: await tokenHash(token),
      staff_id: staffId,
      created_at: now,
      expires_at: expiresAt,
      used_at: null,
    })
    .execute();
  await audit(db, now, {
    actorKind: 'staff',
    actorStaffId: staffId,
    action: 'web.link_issued',
    subjectKind: 'staff',
    subjectId: staffId,
    via,
  });
  return { token, expiresAt };
}

/** The active staff member a link would sign in, without using it (the confirmation page); null when unusable. */
export async function peekSignInLink(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<StaffRow | null> {
  const row = await db
    .selectFrom('web_sign_in_links as l')
    .innerJoin('staff', 'staff.id', 'l.staff_id')
    .selectAll('staff')
    .where('l.token_hash', '=', await tokenHash(token))
    .where('l.used_at', 'is', null)
    .where('l.expires_at', '>', now)
    .where('staff.active', '=', 1)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Uses a link: marks it used in the same statement that checks it is unused and unexpired, so two requests racing
 * with one link sign in once. Returns the staff member's id, or null (unknown, used, expired).
 */
export async function redeemSignInLink(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<number | null> {
  const row = await db
    .updateTable('web_sign_in_links')
    .set({ used_at: now })
    .where('token_hash', '=', await tokenHash(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('staff_id')
    .executeTakeFirst();
  return row ? Number(row.staff_id) : null;
}

/** A session as the web app sees it: its staff member as now stored (role and team apply at once). */
export interface WebSession {
  host: string;
  createdAt: number;
  expiresAt: number;
  staff: StaffRow;
}

/** Starts a session for an active staff member (audited); returns the cookie's token. Null: not active staff. */
export async function startWebSession(
  db: Kysely<Database>,
  o: { staffId: number; host: string; ttlMs: number; now: number },
): Promise<{ token: string; expiresAt: number } | null> {
  const staff = await activeStaff(db, o.staffId);
  if (!staff) return null;
  const token = newToken();
  const expiresAt = o.now + o.ttlMs;
  await db
    .insertInto('web_sessions')
    .values({
      token_hash: await tokenHash(token),
      staff_id: staff.id,
      host: o.host,
      created_at: o.now,
      expires_at: expiresAt,
      last_seen_at: o.now,
      ended_at: null,
    })
    .execute();
  await audit(db, o.now, {
    actorKind: 'staff',
    actorStaffId: staff.id,
    action: 'web.sign_in',
    subjectKind: 'staff',
    subjectId: staff.id,
    detail: { host: o.host },
    via: 'web',
  });
  return { token, expiresAt };
}

/**
 * The session a cookie's token holds, or null: unknown, signed out, expired, or its staff member no longer active
 * (a deactivated member's sessions stop at once, without waiting for them to expire).
 */
export async function webSessionOf(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<WebSession | null> {
  if (!token) return null;
  const hash = await tokenHash(token);
  const row = await db
    .selectFrom('web_sessions as s')
    .innerJoin('staff', 'staff.id', 's.staff_id')
    .selectAll('staff')
    .select([
      's.host as sessionHost',
      's.created_at as sessionCreated',
      's.expires_at as sessionExpires',
      's.last_seen_at as seen',
    ])
    .where('s.token_hash', '=', hash)
    .where('s.ended_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('staff.active', '=', 1)
    .executeTakeFirst();
  if (!row) return null;
  const { sessionHost, sessionCreated, sessionExpires, seen, ...staff } = row;
  if (now - Number(seen) >= SEEN_EVERY_MS)
    await db.updateTable('web_sessions').set({ last_seen_at: now }).where('token_hash', '=', hash).execute();
  return { host: sessionHost, createdAt: Number(sessionCreated), expiresAt: Number(sessionExpires), staff };
}

/** Ends a session (signing out); true when there was one to end. */
export async function endWebSession(db: Kysely<Database>, token: string, now: number): Promise<boolean> {
  const ended = await db
    .updateTable('web_sessions')
    .set({ ended_at: now })
    .where('token_hash', '=', await tokenHash(token))
    .where('ended_at', 'is', null)
    .returning('staff_id')
    .executeTakeFirst();
  if (!ended) return false;
  await audit(db, now, {
    actorKind: 'staff',
    actorStaffId: Number(ended.staff_id),
    action: 'web.sign_out',
    subjectKind: 'staff',
    subjectId: Number(ended.staff_id),
    via: 'web',
  });
  return true;
}

async function activeStaff(db: Kysely<Database>, staffId: number): Promise<StaffRow | null> {
  const row = await db
    .selectFrom('staff')
    .selectAll()
    .where('id', '=', staffId)
    .where('active', '=', 1)
    .executeTakeFirst();
  return row ?? null;
}
