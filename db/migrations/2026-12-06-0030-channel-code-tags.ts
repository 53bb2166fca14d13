import type { AnyDb } from './helpers.ts';

/**
 * The tags a channel code applies to the customers who come in through it (a JSON array of tag names; null: none),
 * so a code printed for a trade fair tags its visitors `展会` without a rule.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('channel_codes').addColumn('tags', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('channel_codes').dropColumn('tags').execute();
}
