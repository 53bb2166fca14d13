import type { Kysely } from 'kysely';
import { type Database, PLATFORMS } from '../../../../db/schema.ts';
import { type Lang, languageOf } from '../../kernel/i18n/index.ts';
import { findStaffByRef } from '../../records/staff/staff-ref.ts';
import type { DigestScope } from './scope.ts';

/** Whose digest a preview shows: the scope, how to name it, and the language and kind it goes out in. */
export interface DigestTarget {
  /** For the person running the preview; a robot subscription's webhook (it holds a key) never appears in it. */
  label: string;
  scope: DigestScope;
  lang?: Lang;
  weekly?: boolean;
}

/** Why a target names no digest. */
export type NoDigestTarget =
  | { reason: 'no_subscription'; id: number }
  | { reason: 'ambiguous_staff'; ids: number[] }
  | { reason: 'unknown' };

const ALL = ['all', 'org', 'organisation', 'organization'];

/**
 * What a preview target names, in order: the organisation, a subscription (`sub:<id>`, `#<id>`), a team by name, a
 * staff member (the scope `/report` gives them), or a chat a subscription sends to (`platform:chat id`, the daily one
 * first). For operators at the command line: nothing is sent, and it reads the whole organisation.
 */
export async function digestTargetOf(
  db: Kysely<Database>,
  target: string,
): Promise<DigestTarget | NoDigestTarget> {
  if (ALL.includes(target.toLowerCase())) return { label: 'the whole organisation', scope: { teamId: null } };
  const subscriptions = db
    .selectFrom('digest_subscriptions')
    .select(['id', 'platform', 'target_ref', 'target_kind', 'scope_team_id', 'language', 'kind']);
  const subId = /^(?:sub(?:scription)?:|#)(\d+)$/i.exec(target)?.[1];
  if (subId) {
    const sub = await subscriptions.where('id', '=', Number(subId)).executeTakeFirst();
    return sub ? fromSubscription(sub) : { reason: 'no_subscription', id: Number(subId) };
  }
  const team = await db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('name', '=', target)
    .executeTakeFirst();
  if (team) return { label: `team "${team.name}"`, scope: { teamId: team.id } };
  const staff = await findStaffByRef(db, target, -1);
  if (staff.length > 1) return { reason: 'ambiguous_staff', ids: staff.map((s) => s.id) };
  const person = staff[0];
  if (person) {
    const row = await db
      .selectFrom('staff')
      .select('language')
      .where('id', '=', person.id)
      .executeTakeFirst();
    const scope: DigestScope =
      person.role === 'admin' || person.role === 'director'
        ? { teamId: null }
        : person.role === 'manager' && person.teamId !== null
          ? { teamId: person.teamId }
          : { teamId: null, ownerId: person.id };
    return {
      label: `${person.name} (${person.role})`,
      scope,
      ...(row?.language ? { lang: languageOf(row.language) } : {}),
    };
  }
  const colon = target.indexOf(':');
  const platform = PLATFORMS.find((p) => p === target.slice(0, colon));
  let bySub = subscriptions.where('target_ref', '=', platform ? target.slice(colon + 1) : target);
  if (platform) bySub = bySub.where('platform', '=', platform);
  const subs = await bySub.orderBy('id').execute();
  const daily = subs.find((s) => s.kind !== 'weekly') ?? subs[0];
  return daily ? fromSubscription(daily) : { reason: 'unknown' };
}

function fromSubscription(sub: {
  id: number;
  platform: string;
  target_kind: string;
  scope_team_id: number | null;
  language: string;
  kind: string;
}): DigestTarget {
  return {
    label: `subscription ${sub.id} (${sub.platform} ${sub.target_kind})`,
    scope: { teamId: sub.scope_team_id },
    lang: languageOf(sub.language),
    weekly: sub.kind === 'weekly',
  };
}
