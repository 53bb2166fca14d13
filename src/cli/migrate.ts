import { migrations } from '../../db/migrations/index.ts';
import type { CliCommand } from './command.ts';

/** `liaison migrate`: brings the database schema up to date (the entry applies what is pending; this reports it). */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations and list them',
  usage: [
    'Usage: liaison migrate',
    '',
    'Applies every pending migration to DATABASE_URL (or --database) and prints each one it applied,',
    'or "Database is up to date." when there was nothing to do. Safe to run any number of times;',
    '`npm start` applies pending migrations too.',
  ].join('\n'),
  async run(args, ctx) {
    if (args.length > 0) {
      ctx.err(this.usage);
      return 2;
    }
    const applied = ctx.appliedMigrations ?? [];
    const where = ctx.databaseDescription ?? ctx.dialect;
    for (const name of applied) ctx.out(`applied ${name}`);
    ctx.out(
      applied.length > 0
        ? `Applied ${applied.length} migration(s) to ${where}.`
        : `Database is up to date (${Object.keys(migrations).length} migrations) at ${where}.`,
    );
    return 0;
  },
};
