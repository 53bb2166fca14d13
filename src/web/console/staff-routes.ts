import { type Context, Hono } from 'hono';
import type { Role } from '../../../db/schema.ts';
import { consoleStaff } from '../../core/kernel/i18n/console-staff.ts';
import { languageOf } from '../../core/kernel/i18n/index.ts';
import type { CoreDeps } from '../../core/kernel/runtime.ts';
import { changeStaffMember, setStaffActive, staffDirectory } from '../../core/records/staff/directory.ts';
import { createTeam } from '../../core/records/staff/teams.ts';
import { requestSession, type WebEnv, webActor } from '../session.ts';

const ROLES: readonly Role[] = ['rep', 'manager', 'director', 'admin'];
type Refusal = keyof (typeof consoleStaff)['en']['refusals'];
/** The status each refusal answers with. */
const STATUS: Record<Refusal, 400 | 403 | 404 | 409> = {
  not_allowed: 403,
  self: 403,
  role_or_team_refused: 403,
  outside_scope: 403,
  at_or_above: 403,
  last_admin: 409,
  race: 409,
  unknown: 404,
  no_team: 404,
  no_account: 409,
  platform_off: 409,
  too_long: 400,
  bad_request: 400,
};

/**
 * The staff and teams screen's JSON (`/app/api/console/staff`): the directory, a member's role and team, their
 * deactivation, a new team. Directors and admins change; managers read their teams; the core decides each.
 */
export function staffScreenRoutes(core: CoreDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  const words = (c: Context<WebEnv>) => consoleStaff[languageOf(requestSession(c).staff.language)];
  const refuse = (c: Context<WebEnv>, reason: Refusal) =>
    c.json({ error: words(c).refusals[reason], reason }, STATUS[reason]);
  const body = async (c: Context<WebEnv>) =>
    ((await c.req.json().catch(() => null)) ?? {}) as Record<string, unknown>;
  const idOf = (c: Context<WebEnv>) => {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  };

  app.get('/', async (c) => {
    const dir = await staffDirectory(core, webActor(requestSession(c)));
    if (!dir.ok) return refuse(c, dir.reason);
    return c.json({ members: dir.members, teams: dir.teams, may: dir.may, grantable: dir.grantable });
  });

  app.patch('/:id', async (c) => {
    const id = idOf(c);
    if (id === null) return refuse(c, 'unknown');
    const b = await body(c);
    const role = ROLES.find((r) => r === b.role);
    const teamId = b.teamId === null ? null : Number(b.teamId);
    if (!role || (teamId !== null && !(Number.isSafeInteger(teamId) && teamId > 0)))
      return refuse(c, 'bad_request');
    const outcome = await changeStaffMember(core, webActor(requestSession(c)), id, { role, teamId });
    if (!outcome.ok) return refuse(c, outcome.reason);
    return c.json({ id, changed: outcome.changed });
  });

  app.post('/:id/active', async (c) => {
    const id = idOf(c);
    if (id === null) return refuse(c, 'unknown');
    const b = await body(c);
    if (typeof b.active !== 'boolean') return refuse(c, 'bad_request');
    const outcome = await setStaffActive(core, webActor(requestSession(c)), id, b.active);
    if (!outcome.ok) return refuse(c, outcome.reason);
    return c.json({ id, active: b.active, changed: outcome.changed });
  });

  app.post('/teams', async (c) => {
    const b = await body(c);
    const name = typeof b.name === 'string' ? b.name.trim() : '';
    const parent = typeof b.parent === 'string' && b.parent.trim() ? b.parent.trim() : null;
    // One word, as `/team add` takes it, so the chat can name the team too.
    if (!name || /\s/.test(name)) return refuse(c, 'bad_request');
    const made = await createTeam(core, webActor(requestSession(c)), { name, parentName: parent });
    if (!made.ok) return refuse(c, made.reason === 'no_parent' ? 'no_team' : made.reason);
    return c.json({ id: made.teamId, created: made.created }, made.created ? 201 : 200);
  });

  return app;
}
