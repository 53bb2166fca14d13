import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cliActor } from '../core/kernel/permissions/actor.ts';
import { eraseCustomer, erasurePlan } from '../core/records/privacy/erase.ts';
import { countsOf, exportCustomer } from '../core/records/privacy/export.ts';
import type { CliCommand, CliContext } from './command.ts';

const usage = [
  'Usage: liaison customer export <id> [--out <file>]',
  '       liaison customer erase <id> --yes',
  '',
  'export  Everything held about one customer (and the records merged into them) as JSON: profile, identities,',
  '        messages, tags, notes, deals, reminders, stage history, audit entries, model readings, raw deliveries',
  '        and sends. To stdout, or to a file only you can read with --out. Audited.',
  'erase   Deletes the customer, the records merged into them and every trace of them (PIPL / GDPR erasure);',
  '        raw deliveries keep only their dedup keys, so a redelivered old update does not bring them back.',
  '        Without --yes it only prints what would be erased. Audited (ids and counts only). Safe to run again',
  '        if it was interrupted.',
].join('\n');

/** `liaison customer export|erase`: a customer's data export and erasure, from the shell (as the admin API). */
export const customerCommand: CliCommand = {
  name: 'customer',
  summary: "Export a customer's data (JSON) or erase the customer (PIPL / GDPR)",
  usage,
  async run(args, ctx) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (error) {
      ctx.err(`liaison customer: ${(error as Error).message}`);
      ctx.err(usage);
      return 2;
    }
    const { sub, id, out, yes } = parsed;
    if (sub === 'export' && !yes) return exportTo(ctx, id, out);
    if (sub === 'erase' && out === undefined) return erase(ctx, id, yes);
    ctx.err(usage);
    return 2;
  },
};

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, yes: { type: 'boolean', default: false } },
  });
  const [sub, raw, ...extra] = positionals;
  const id = Number(raw);
  if (extra.length > 0 || !raw || !/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id < 1)
    throw new Error(`expected export|erase and a customer id, got "${positionals.join(' ')}"`);
  return { sub, id, out: values.out, yes: values.yes === true };
}

async function exportTo(ctx: CliContext, id: number, out: string | undefined): Promise<number> {
  const data = await exportCustomer(ctx.db, ctx.now(), id, cliActor);
  if (!data || data === 'not_allowed') return noSuchCustomer(ctx, id);
  const json = JSON.stringify(data, null, 2);
  if (out === undefined) {
    ctx.out(json);
    return 0;
  }
  // It is personal data: readable by the owner of the file only.
  writeFileSync(out, `${json}\n`, { mode: 0o600 });
  const counts = Object.entries(countsOf(data))
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`);
  ctx.out(`Exported customer #${id} to ${out}: ${counts.join(', ')}.`);
  return 0;
}

async function erase(ctx: CliContext, id: number, yes: boolean): Promise<number> {
  const erased = yes ? await eraseCustomer(ctx.db, ctx.now(), id, cliActor) : null;
  const counts = yes ? (erased === 'not_allowed' ? null : erased?.erased) : await erasurePlan(ctx.db, id);
  if (!counts) return noSuchCustomer(ctx, id);
  const lines = Object.entries(counts).map(([table, n]) => `  ${table.padEnd(22)} ${n}`);
  if (!yes) {
    ctx.out(`Erasing customer #${id} would remove or blank these rows:`);
    for (const line of lines) ctx.out(line);
    ctx.err('Nothing erased. Run again with --yes to erase (this cannot be undone).');
    return 1;
  }
  ctx.out(`Erased customer #${id}:`);
  for (const line of lines) ctx.out(line);
  return 0;
}

function noSuchCustomer(ctx: CliContext, id: number): number {
  ctx.err(`liaison customer: no customer #${id}`);
  return 1;
}
