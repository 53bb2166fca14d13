import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../../../db/schema.ts';
import { append } from '../../kernel/appends.ts';
import type { CoreDeps } from '../../kernel/runtime.ts';
import type { MessageContent } from '../../ports/events.ts';
import { statedMobiles } from './duplicate-signals.ts';
import { refreshSuggestionsFor, suggestFromStatedPhone } from './duplicates.ts';

/** Phones one message can put up for a check; more is not a person telling their number. */
const PHONES_PER_MESSAGE = 3;

/**
 * What a customer's message tells about who they are, left for timed work (`checkStatedIdentities`): a shared
 * contact (already recorded as their phone) refreshes their suggestions; a mainland mobile written in the text, or the
 * phone on a contact card they passed on (someone's card, not their own), suggests the customers with that number.
 * Messages with neither cost nothing; within an inbox transaction the checks are written together at its end.
 */
export async function learnIdentityFromMessage(
  deps: CoreDeps,
  m: {
    customerId: number;
    text: string;
    sharedPhone?: string | undefined;
    content?: MessageContent | undefined;
  },
): Promise<void> {
  const card = !m.sharedPhone && m.content?.kind === 'contact' ? m.content.phone?.trim() : undefined;
  const stated = [...(card ? [card] : []), ...statedMobiles(m.text)].slice(0, PHONES_PER_MESSAGE);
  if (!m.sharedPhone && stated.length === 0) return;
  await append(
    deps.db,
    'identity-checks',
    {
      customer_id: m.customerId,
      phones: JSON.stringify(stated),
      shared: m.sharedPhone ? 1 : 0,
      created_at: deps.clock.now(),
    },
    writeChecks,
  );
}

type IdentityCheck = Insertable<Database['identity_checks']>;

/** Checks a statement takes: 4 values each, within D1's 100 bound parameters. */
const CHECKS_PER_INSERT = 20;

async function writeChecks(db: Kysely<Database>, rows: IdentityCheck[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHECKS_PER_INSERT)
    await db
      .insertInto('identity_checks')
      .values(rows.slice(i, i + CHECKS_PER_INSERT))
      .execute();
}

/**
 * Timed work: carries out up to `limit` waiting checks, oldest first, then deletes them; how many. The suggestions
 * they make reach the owners with the next notices (`suggestionNotices`). A crash before the delete repeats checks,
 * which only add evidence a suggestion already has.
 */
export async function checkStatedIdentities(deps: CoreDeps, limit = 50): Promise<number> {
  const checks = await deps.db
    .selectFrom('identity_checks')
    .select(['id', 'customer_id', 'phones', 'shared'])
    .orderBy('id')
    .limit(limit)
    .execute();
  if (checks.length === 0) return 0;
  const now = deps.clock.now();
  for (const check of checks) {
    if (check.shared) await refreshSuggestionsFor(deps, check.customer_id, now);
    for (const phone of phonesOf(check.phones))
      await suggestFromStatedPhone(deps, check.customer_id, phone, now);
  }
  await deps.db
    .deleteFrom('identity_checks')
    .where(
      'id',
      'in',
      checks.map((c) => c.id),
    )
    .execute();
  return checks.length;
}

function phonesOf(json: string): string[] {
  try {
    const phones: unknown = JSON.parse(json);
    return Array.isArray(phones) ? phones.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}
