import type { Platform, Role } from '../../../../db/schema.ts';
import { audit } from '../../kernel/audit.ts';
import { auditedAs, systemActor } from '../../kernel/permissions/actor.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import { createStaff } from './registry.ts';
import { createTeam } from './teams.ts';

/** A person to seed: their id on the platform, name and role, and whether they join the seeded team. */
export interface SeedPerson {
  externalId: string;
  name: string;
  role: Role;
  inTeam: boolean;
}

/**
 * Seeds staff on one platform (the playground's local people), each with one identity, those `inTeam` in a top-level
 * team of that name; a person whose identity exists is left alone, so running it twice at once is safe. Audited as
 * the system.
 */
export async function seedStaff(
  deps: Pick<CoreDeps, 'db' | 'clock'>,
  s: { platform: Platform; workspace: string; people: SeedPerson[]; teamName: string; language: string },
): Promise<void> {
  const team = await createTeam(deps, systemActor, { name: s.teamName });
  const teamId = team.ok ? team.teamId : null;
  const now = deps.clock.now();
  for (const person of s.people) {
    const key = { platform: s.platform, workspace: s.workspace, externalId: person.externalId };
    const profile = { displayName: person.name, language: s.language, teamId: person.inTeam ? teamId : null };
    const created = await createStaff(deps.db, key, profile, person.role, now);
    if (created === null) continue;
    await audit(deps.db, now, {
      ...auditedAs(systemActor),
      action: 'staff.playground_seeded',
      subjectKind: 'staff',
      subjectId: created,
      detail: { platform: s.platform, externalId: person.externalId, role: person.role },
    });
  }
}
