import { parseArgs } from 'node:util';
import { WEB_PEOPLE_WORKSPACE, WEB_WORKSPACE } from '../../adapters/web/types.ts';
import type { CliCommand } from './command.ts';
import { DEMO_STAFF, DEMO_TEAMS } from './demo-data/org.ts';
import { seedDemo } from './demo-data/seed.ts';

const MAX_CUSTOMERS = 100_000;

const usage = [
  'Usage: liaison demo [--customers N] [--reset]      (also: npm run demo)',
  '',
  'Seeds a demo organisation to try Liaison with: 销售一部 (广州组, 深圳组) and 销售二部 (东莞组, 佛山组) under one',
  'sales director, a manager per department and per team, three reps per team, an admin; N customers (default',
  '300) with Chinese names, companies and phones, conversations over the past weeks, tags from rules, the model',
  'and people, stages across the funnel, deals, notes and reminders. Every demo staff member has a web account',
  '(demo-admin, demo-director, demo-gz-manager, demo-gz-rep1 …) that the playground acts as.',
  '',
  '  --customers N  How many customers (0 to 100000).',
  '  --reset        Remove the demo data first (only the demo data: its customers, staff and empty teams).',
  '',
  'The same every time (a fixed seed). Run again, it leaves an existing demo alone.',
].join('\n');

const topLevel = (team: string | null) => DEMO_TEAMS.some((t) => t.name === team && t.parent === null);

/** `liaison demo`: a realistic demo organisation, deterministic, idempotent, removable. */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Seed a demo sales organisation with customers and conversations (--reset to rebuild it)',
  usage,
  async run(args, ctx) {
    let values: { customers?: string; reset?: boolean };
    try {
      ({ values } = parseArgs({
        args,
        options: { customers: { type: 'string' }, reset: { type: 'boolean' } },
        allowPositionals: false,
      }));
    } catch (error) {
      ctx.err(`liaison demo: ${(error as Error).message}`);
      ctx.err(usage);
      return 2;
    }
    const customers = values.customers === undefined ? 300 : Number(values.customers);
    if (!Number.isInteger(customers) || customers < 0 || customers > MAX_CUSTOMERS) {
      ctx.err(`liaison demo: --customers must be a whole number from 0 to ${MAX_CUSTOMERS}`);
      return 2;
    }
    const outcome = await seedDemo(ctx.db, {
      customers,
      reset: values.reset === true,
      now: ctx.now(),
      webWorkspace: WEB_WORKSPACE,
      webPeopleWorkspace: WEB_PEOPLE_WORKSPACE,
    });
    if (outcome.status === 'present') {
      ctx.out(
        `The demo organisation is already there (${outcome.customers} demo customers); nothing changed.`,
      );
      ctx.out('Run `liaison demo --reset` to remove it and seed it again.');
      return 0;
    }
    if (outcome.removed > 0) ctx.out(`Removed the previous demo (${outcome.removed} customers).`);
    ctx.out(
      `Seeded ${outcome.teams} teams, ${outcome.staff} staff, ${outcome.customers} customers and ${outcome.messages} messages.`,
    );
    ctx.out('Staff accounts on the web channel (the playground acts as them):');
    for (const s of DEMO_STAFF)
      ctx.out(`  web:${s.webId.padEnd(16)} ${s.name}  ${s.role}${s.team ? `  ${s.team}` : ''}`);
    // Who the playground starts as (src/playground/data.ts): the walkthrough's first alert goes to them.
    const first = DEMO_STAFF.find((s) => s.role === 'manager' && topLevel(s.team));
    if (ctx.config.playground && first) {
      ctx.out(
        `The playground (npm start, then http://localhost:${ctx.config.port || 8787}/playground) starts as ${first.name}, ` +
          `manager of ${first.team}, who hears about new customers (numbered after the ${outcome.customers} demo ones).`,
      );
    }
    return 0;
  },
};
