import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Platform, Role } from '../../db/schema.ts';
import { cliActor } from '../core/kernel/permissions/actor.ts';
import { systemClock } from '../core/ports/clock.ts';
import { listStaffMembers } from '../core/records/staff/listing.ts';
import { setStaffRole } from '../core/records/staff/set-role.ts';
import { listTeams } from '../core/records/staff/teams.ts';
import type { CliCommand, CliContext } from './command.ts';

const ROLES: readonly Role[] = ['rep', 'manager', 'director', 'admin'];

const usage = [
  'Usage: liaison staff add <platform:userId> --name <name> --role rep|manager|director|admin [--team <team>]',
  '       liaison staff list',
  '',
  'add   Registers a staff member (or changes the role, team and name of one already registered), like /staff add',
  '      in chat. platform:userId is the account on a platform that is on, e.g. telegram:5123456789 or',
  '      wecom:zhangsan, or web:alice for the playground (always possible; used where PLAYGROUND is on). The team',
  '      must exist (create teams in chat with /team add <name>). Audited.',
  'list  Every active staff member with role, team and accounts.',
].join('\n');

/** `liaison staff add|list`: staff and roles from the shell, for the first admin and for scripted set-ups. */
export const staffCommand: CliCommand = {
  name: 'staff',
  summary: 'Add a staff member or change their role; list staff',
  usage,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    if (sub === 'list' && rest.length === 0) return listStaff(ctx);
    if (sub === 'add') return addStaff(rest, ctx);
    ctx.err(usage);
    return 2;
  },
};

async function addStaff(args: string[], ctx: CliContext): Promise<number> {
  let parsed: ReturnType<typeof parseAdd>;
  try {
    parsed = parseAdd(args);
  } catch (error) {
    ctx.err(`liaison staff add: ${(error as Error).message}`);
    ctx.err(usage);
    return 2;
  }
  const { ref, name, role, team } = parsed;
  const m = /^(telegram|wecom|feishu|web):(\S+)$/.exec(ref ?? '');
  const problems = [
    ...(m ? [] : [`"${ref ?? ''}" is not platform:userId (e.g. telegram:5123456789)`]),
    ...(name?.trim() ? [] : ['--name is required']),
    ...(role && ROLES.includes(role as Role) ? [] : [`--role must be one of ${ROLES.join(', ')}`]),
  ];
  if (problems.length > 0 || !m || !name || !role) {
    for (const p of problems) ctx.err(`liaison staff add: ${p}`);
    ctx.err(usage);
    return 2;
  }
  const platform = m[1] as Platform;
  const externalId = m[2] as string;
  // Loaded on use: the platform SDKs take a while to load, and `liaison help` should not wait for them.
  const { buildAdapters } = await import('../wiring/adapters.ts');
  // The web channel (the playground's) needs no credentials: web staff can always be registered. The secret is a
  // throwaway — this process never serves the page.
  const web = { db: ctx.db, secret: randomBytes(32).toString('base64url') };
  const adapters = await buildAdapters(ctx.config, systemClock, web);
  if (!adapters.get(platform)) {
    ctx.err(`liaison staff add: ${platform} is not on; configure it first (see .env.example).`);
    return 1;
  }
  const outcome = await setStaffRole({ adapters, db: ctx.db, clock: { now: ctx.now } }, cliActor, {
    platform,
    externalId,
    role: role as Role,
    displayName: name.trim(),
    ...(team ? { teamName: team } : {}),
  });
  if (!outcome.ok) {
    if (outcome.reason === 'no_team') {
      const teams = (await listTeams(ctx.db)).sort((a, b) => a.name.localeCompare(b.name));
      ctx.err(
        `liaison staff add: there is no team "${team}" (${teams.length ? `teams: ${teams.map((t) => t.name).join(', ')}` : 'no teams yet'}). Create it in chat with /team add ${team}.`,
      );
    } else if (outcome.reason === 'last_admin') {
      ctx.err('liaison staff add: that is the last active admin; make someone else admin first.');
    } else {
      ctx.err(`liaison staff add: refused (${outcome.reason}); run again.`);
    }
    return 1;
  }
  ctx.out(
    `${outcome.created ? 'Added' : 'Updated'} ${name.trim()} (${ref}) as ${role}${team ? ` in team "${team}"` : ''}.`,
  );
  if (platform === 'web')
    ctx.out(
      ctx.config.playground
        ? `They act in the playground: "Acting as" on http://localhost:${ctx.config.port}/playground (this computer).`
        : 'Note: web staff act only in the playground, which is off here (PLAYGROUND=off, NODE_ENV=production or PUBLIC_URL set); set PLAYGROUND=on to use it on this computer.',
    );
  return 0;
}

function parseAdd(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: { name: { type: 'string' }, role: { type: 'string' }, team: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new Error(`unexpected "${positionals[1]}"`);
  return { ref: positionals[0], name: values.name, role: values.role?.toLowerCase(), team: values.team };
}

async function listStaff(ctx: CliContext): Promise<number> {
  const rows = await listStaffMembers(ctx.db, null, { activeOnly: true });
  if (rows.length === 0) {
    ctx.out('No staff yet: set ADMIN_IDS, or run liaison staff add <platform:userId> --name … --role admin.');
    return 0;
  }
  const table = [
    ['ID', 'NAME', 'ROLE', 'TEAM', 'ACCOUNTS'],
    ...rows.map((r) => [
      String(r.id),
      r.name,
      r.role,
      r.teamName ?? '-',
      r.identities.map((i) => `${i.platform}:${i.externalId}`).join(', '),
    ]),
  ];
  const widths = table[0]?.map((_, col) => Math.max(...table.map((row) => (row[col] ?? '').length))) ?? [];
  for (const row of table)
    ctx.out(
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
        .join('  ')
        .trimEnd(),
    );
  return 0;
}
