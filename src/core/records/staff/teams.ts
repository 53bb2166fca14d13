import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { type Actor, auditedAs } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';

/** A team name is at most this many characters. */
export const MAX_TEAM_NAME_CHARS = 40;

export type TeamOutcome =
  /** `created` false: a team of that name exists already (its id is given). */
  | { ok: true; teamId: number; created: boolean }
  | { ok: false; reason: 'not_allowed' | 'too_long' | 'no_parent' };

/** Creates a team, under a parent team when named (directors, admins, the operator and the system); audited. */
export async function createTeam(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  actor: Actor,
  t: { name: string; parentName?: string | null },
): Promise<TeamOutcome> {
  const { db } = deps;
  if (actor.viewer && actor.viewer.role !== 'admin' && actor.viewer.role !== 'director')
    return { ok: false, reason: 'not_allowed' };
  if ([...t.name].length > MAX_TEAM_NAME_CHARS) return { ok: false, reason: 'too_long' };
  const parent = t.parentName
    ? await db.selectFrom('teams').select('id').where('name', '=', t.parentName).executeTakeFirst()
    : undefined;
  if (t.parentName && !parent) return { ok: false, reason: 'no_parent' };
  const now = deps.clock.now();
  const inserted = await db
    .insertInto('teams')
    .values({ name: t.name, parent_id: parent?.id ?? null, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
  const team = await db.selectFrom('teams').select('id').where('name', '=', t.name).executeTakeFirstOrThrow();
  if (created)
    await audit(db, now, {
      ...auditedAs(actor),
      action: 'team.created',
      subjectKind: 'team',
      subjectId: t.name,
      detail: { parent: t.parentName ?? null },
    });
  return { ok: true, teamId: team.id, created };
}

/** Every team with its parent, oldest first (the tree is built by whoever shows it). */
export function listTeams(db: Kysely<Database>) {
  return db.selectFrom('teams').select(['id', 'name', 'parent_id']).orderBy('id').execute();
}
