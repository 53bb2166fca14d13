import { parseArgs } from 'node:util';
import type { Role } from '../../db/schema.ts';
import { type Viewer, viewerOf } from '../core/kernel/permissions/scope.ts';
import { EXPORT_COLUMNS, exportCustomers } from '../core/records/imports/export-customers.ts';
import { findStaffByRef } from '../core/records/staff/staff-ref.ts';
import type { CliCommand } from './command.ts';
import { formatOf, type TableFormat } from './read-table.ts';
import { openTableWriter } from './write-table.ts';

const ROLES: readonly Role[] = ['rep', 'manager', 'director', 'admin'];

const usage = [
  'Usage: liaison export customers [--format csv|json|xlsx] [--out <file>] [--as <platform:userId> | --role <role>]',
  '',
  'Writes every customer as one row: id, name, company, phone, email, stage, owner (platform:userId), owner_name,',
  "tags, unionid, source, first_contact_at, last_contact_at. The columns are the import's: an export imports back",
  'into another Liaison as the same customers (`liaison import <file>`).',
  '',
  '  --format      csv (UTF-8 with a byte-order mark, opens in Excel), json or xlsx; default from --out, else csv.',
  '  --out <file>  Write to this file (xlsx needs one); default: standard output (then run it as `npx liaison …`',
  '                or `npm run -s liaison -- …`: plain `npm run` adds its banner to the output).',
  '  --as <staff>  Export what this staff member sees: their data scope, and phones and emails masked for reps.',
  '  --role <role> Export everyone, masked as this role sees them (rep masks; manager and above do not).',
  '',
  'Default: as an admin, everything whole. Unmasked exports are audited (customer.unmasked_read) like any unmasked',
  'read in chat or the API.',
].join('\n');

/** `liaison export customers`: every customer the chosen viewer may see, streamed in batches, masked by role. */
export const exportCommand: CliCommand = {
  name: 'export',
  summary: "Export customers as CSV, JSON or XLSX (by a staff member's scope and masking with --as)",
  usage,
  async run(args, ctx) {
    let parsed: ReturnType<typeof parseExportArgs>;
    try {
      parsed = parseExportArgs(args);
    } catch (error) {
      ctx.err(`liaison export: ${(error as Error).message}`);
      ctx.err(usage);
      return 2;
    }
    const { format, out, as, role } = parsed;
    if (!out && npmBannerInOutput(process.env, process.stdout.isTTY === true)) {
      ctx.err(
        'liaison export: npm prints its banner ("> liaison@… liaison") into standard output, so a file made with `> file` would not import. Use --out <file>, or `npx liaison export …` / `npm run -s liaison -- export …`.',
      );
      return 2;
    }
    let viewer: Viewer | undefined;
    if (as) {
      const found = await findStaffByRef(ctx.db, as, -1);
      const staff = found[0];
      if (found.length !== 1 || !staff) {
        ctx.err(
          found.length === 0
            ? `liaison export: --as ${as}: no active staff member by that name or id`
            : `liaison export: --as ${as}: ${found.length} staff members match; name one as platform:userId`,
        );
        return 1;
      }
      viewer = viewerOf({ id: staff.id, role: staff.role, team_id: staff.teamId });
    }
    const unmask = (viewer?.role ?? role) !== 'rep';
    const writer = openTableWriter(format, [...EXPORT_COLUMNS], out, ctx.out);
    const total = await exportCustomers(
      ctx.db,
      { ...(viewer ? { viewer } : {}), unmask, actorStaffId: viewer?.staffId ?? null, now: ctx.now() },
      async (batch) => {
        for (const c of batch)
          await writer.row([
            c.id,
            c.name,
            c.company,
            c.phone,
            c.email,
            c.stage,
            c.owner,
            c.ownerName,
            format === 'json' ? c.tags : c.tags.join(','),
            c.unionId,
            c.source,
            new Date(c.firstContactAt).toISOString(),
            c.lastContactAt === null ? null : new Date(c.lastContactAt).toISOString(),
          ]);
      },
    ).finally(() => writer.close());
    if (out)
      ctx.err(`Exported ${total} customer(s) to ${out}${unmask ? '' : ' (phones and emails masked)'}.`);
    return 0;
  },
};

/**
 * True when standard output goes to a file or pipe through `npm run` without `-s`: npm then writes its
 * "> liaison@0.1.0 liaison" lines into the same output, ahead of the export.
 */
export function npmBannerInOutput(env: NodeJS.ProcessEnv, stdoutIsTty: boolean): boolean {
  return (
    !stdoutIsTty &&
    /^run(-script)?$/.test(env.npm_command ?? '') &&
    !!env.npm_lifecycle_event &&
    env.npm_config_loglevel !== 'silent'
  );
}

function parseExportArgs(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      as: { type: 'string' },
      role: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals[0] !== 'customers' || positionals.length > 1)
    throw new Error('what to export? liaison export customers …');
  const format = (values.format?.toLowerCase() ??
    (values.out ? formatOf(values.out) : 'csv')) as TableFormat | null;
  if (!format || !['csv', 'json', 'xlsx'].includes(format))
    throw new Error(
      `--format must be csv, json or xlsx${values.out && !values.format ? ' (or name --out with one of those extensions)' : ''}`,
    );
  if (format === 'xlsx' && !values.out) throw new Error('xlsx is a file: name it with --out <file.xlsx>');
  if (values.as && values.role)
    throw new Error('--as and --role do not go together: --as brings its own role');
  const role = (values.role?.toLowerCase() ?? 'admin') as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  return { format, out: values.out ?? null, as: values.as, role };
}
