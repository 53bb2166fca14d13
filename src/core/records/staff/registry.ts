import type { Kysely } from 'kysely';
import { preparedQuery } from '../../../../db/prepared.ts';
import type { Database, Platform, Role, StaffRow } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { languageOf } from '../../kernel/i18n/index.ts';
import type { PersonRef } from '../../ports/events.ts';

export interface StaffIdentityKey {
  platform: Platform;
  /** '' where the platform's user ids are global (Telegram). */
  workspace: string;
  externalId: string;
}

export interface KnownStaff extends StaffRow {
  identityId: number;
  identityName: string | null;
  identityUsername: string | null;
}

const activeStaffByIdentity = preparedQuery((db, key: StaffIdentityKey) =>
  db
    .selectFrom('staff_identities as si')
    .innerJoin('staff', 'staff.id', 'si.staff_id')
    .selectAll('staff')
    .select(['si.id as identityId', 'si.display_name as identityName', 'si.username as identityUsername'])
    .where('si.platform', '=', key.platform)
    .where('si.workspace', '=', key.workspace)
    .where('si.external_id', '=', key.externalId)
    .where('staff.active', '=', 1),
);

/** The active staff member behind a platform account, or null when the account is not staff. */
export async function findStaff(db: Kysely<Database>, key: StaffIdentityKey): Promise<KnownStaff | null> {
  const row = await activeStaffByIdentity.first(db, key);
  return row ?? null;
}

/** Who sent an event, as looked up just before it is handled on the same database handle (the inbox's routing). */
const senderLookups = new WeakMap<object, { db: Kysely<Database>; staff: KnownStaff | null }>();

/**
 * Keeps the answer of a sender lookup made for `event` right before it is handled on `db`, with nothing handled in
 * between: the handler takes it (once) instead of asking the database again.
 */
export function keepSenderLookup(event: object, db: Kysely<Database>, staff: KnownStaff | null): void {
  senderLookups.set(event, { db, staff });
}

/** The active staff member who sent `event`: the kept lookup when it was made on this same `db`, else `findStaff`. */
export function findSender(
  db: Kysely<Database>,
  event: object,
  key: StaffIdentityKey,
): Promise<KnownStaff | null> {
  const kept = senderLookups.get(event);
  senderLookups.delete(event);
  return kept?.db === db ? Promise.resolve(kept.staff) : findStaff(db, key);
}

/** The staff member behind a platform account, active or not (a re-added member is reactivated), or null. */
export async function staffIdOf(db: Kysely<Database>, key: StaffIdentityKey): Promise<number | null> {
  const row = await db
    .selectFrom('staff_identities')
    .select('staff_id')
    .where('platform', '=', key.platform)
    .where('workspace', '=', key.workspace)
    .where('external_id', '=', key.externalId)
    .executeTakeFirst();
  return row?.staff_id ?? null;
}

/**
 * Makes sure each configured admin exists with the admin role. Safe to run at every start and on many instances at
 * once: identities are unique, and a staff row that lost the race for its identity is removed again.
 */
export async function ensureAdmins(
  db: Kysely<Database>,
  admins: StaffIdentityKey[],
  now: number,
): Promise<void> {
  for (const key of admins) {
    const existing = await db
      .selectFrom('staff_identities')
      .select('staff_id')
      .where('platform', '=', key.platform)
      .where('workspace', '=', key.workspace)
      .where('external_id', '=', key.externalId)
      .executeTakeFirst();
    if (existing) {
      await db
        .updateTable('staff')
        .set({ role: 'admin', active: 1, updated_at: now })
        .where('id', '=', existing.staff_id)
        .where((eb) => eb.or([eb('role', '!=', 'admin'), eb('active', '!=', 1)]))
        .execute();
      continue;
    }
    const created = await createStaff(
      db,
      key,
      { displayName: `${key.platform}:${key.externalId}` },
      'admin',
      now,
    );
    if (created !== null) {
      await audit(db, now, {
        actorKind: 'system',
        action: 'staff.admin_from_config',
        subjectKind: 'staff',
        subjectId: created,
        detail: { platform: key.platform, externalId: key.externalId },
      });
    }
  }
}

/** Creates a staff member with one identity; returns null when another writer created that identity first. */
export async function createStaff(
  db: Kysely<Database>,
  key: StaffIdentityKey,
  profile: { displayName: string; username?: string; language?: string; teamId?: number | null },
  role: Role,
  now: number,
): Promise<number | null> {
  const staff = await db
    .insertInto('staff')
    .values({
      display_name: profile.displayName,
      role,
      team_id: profile.teamId ?? null,
      language: profile.language ?? null,
      active: 1,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const identity = await db
    .insertInto('staff_identities')
    .values({
      staff_id: staff.id,
      platform: key.platform,
      workspace: key.workspace,
      external_id: key.externalId,
      display_name: profile.displayName,
      username: profile.username ?? null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace', 'external_id']).doNothing())
    .executeTakeFirst();
  if (Number(identity.numInsertedOrUpdatedRows ?? 0n) === 0) {
    await db.deleteFrom('staff').where('id', '=', staff.id).execute();
    return null;
  }
  return staff.id;
}

/**
 * Learns a staff member's name and language from what the platform says about them (replacing the placeholder name
 * an admin from the config starts with); returns the staff member as now stored.
 */
export async function learnStaffProfile(
  db: Kysely<Database>,
  staff: KnownStaff,
  person: PersonRef,
  now: number,
): Promise<KnownStaff> {
  const name = person.displayName?.trim();
  const placeholder =
    staff.display_name === `${person.externalId}` || staff.display_name.endsWith(`:${person.externalId}`);
  const displayName = name && placeholder ? name : staff.display_name;
  const language = person.language ? languageOf(person.language) : staff.language;
  if (displayName !== staff.display_name || language !== staff.language) {
    await db
      .updateTable('staff')
      .set({ display_name: displayName, language, updated_at: now })
      .where('id', '=', staff.id)
      .execute();
  }
  const identityName = name ?? staff.identityName;
  const identityUsername = person.username ?? staff.identityUsername;
  if (identityName !== staff.identityName || identityUsername !== staff.identityUsername) {
    await db
      .updateTable('staff_identities')
      .set({ display_name: identityName, username: identityUsername })
      .where('id', '=', staff.identityId)
      .execute();
  }
  return { ...staff, display_name: displayName, language, identityName, identityUsername };
}

/**
 * The staff member behind an account the platform itself vouches for as the brand's (a WeCom member, a Feishu user
 * of the app's tenant), registered as a rep on first sight.
 */
export async function ensureBrandStaff(
  db: Kysely<Database>,
  platform: Platform,
  person: PersonRef,
  now: number,
): Promise<KnownStaff> {
  const key = { platform, workspace: person.workspace, externalId: person.externalId };
  const known = await findStaff(db, key);
  if (known) return known;
  const profile = {
    displayName: person.displayName?.trim() || person.externalId,
    ...(person.username ? { username: person.username } : {}),
    ...(person.language ? { language: languageOf(person.language) } : {}),
  };
  const created = await createStaff(db, key, profile, 'rep', now);
  if (created !== null) {
    await audit(db, now, {
      actorKind: 'system',
      action: 'staff.registered_from_platform',
      subjectKind: 'staff',
      subjectId: created,
      detail: { platform, externalId: person.externalId },
    });
  }
  const staff = await findStaff(db, key);
  if (!staff) throw new Error('staff vanished right after registration');
  return staff;
}
