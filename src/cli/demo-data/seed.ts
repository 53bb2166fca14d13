import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';
import { audit } from '../../core/kernel/audit.ts';
import { DEMO_CHAT_PREFIX, DEMO_ORIGIN, type DemoSeedPlaces, seedCustomers } from './customers.ts';
import { DEMO_STAFF, DEMO_TEAMS, seedOrg } from './org.ts';
import { seededRandom } from './random.ts';

const SEED = 20_261_130;

export interface DemoOptions extends DemoSeedPlaces {
  customers: number;
  /** Remove the demo data first (and only the demo data), then seed again. */
  reset: boolean;
  now: number;
}

export type DemoOutcome =
  | { status: 'seeded'; teams: number; staff: number; customers: number; messages: number; removed: number }
  | { status: 'present'; customers: number };

/**
 * Seeds the demo organisation (teams, staff with web accounts, customers with conversations, tags, deals, notes,
 * reminders), the same every time for the same `customers` count (a fixed seed; times relative to `now`). Runs in
 * one transaction (the CLI's SQLite or PostgreSQL; never D1). Seeding again leaves an existing demo alone unless
 * `reset`, which first removes exactly what the demo made.
 */
export async function seedDemo(db: Kysely<Database>, o: DemoOptions): Promise<DemoOutcome> {
  return db.transaction().execute(async (trx) => {
    const present = await demoCustomerCount(trx);
    const staffPresent = await trx
      .selectFrom('staff_identities')
      .select('id')
      .where('platform', '=', 'web')
      .where('workspace', '=', o.webPeopleWorkspace)
      .where('external_id', '=', 'demo-director')
      .executeTakeFirst();
    if ((present > 0 || staffPresent) && !o.reset) return { status: 'present', customers: present };
    const removed = o.reset ? await removeDemo(trx, o) : 0;
    const staff = await seedOrg(trx, o.now, o.webPeopleWorkspace);
    const customers = await seedCustomers(trx, seededRandom(SEED), staff, o.customers, o.now, o);
    const messages = customers.reduce((n, c) => n + c.messageIds.length, 0);
    await audit(trx, o.now, {
      actorKind: 'system',
      action: 'demo.seeded',
      via: 'cli',
      detail: { customers: customers.length, staff: staff.length, removed },
    });
    return {
      status: 'seeded',
      teams: DEMO_TEAMS.length,
      staff: staff.length,
      customers: customers.length,
      messages,
      removed,
    };
  });
}

async function demoCustomerCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('origin_key', 'like', `${DEMO_ORIGIN}%`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Removes what the demo made: its customers (with everything hanging off them), their web chats, the demo staff,
 * and the demo teams unless someone else's staff or teams are in them now. Returns the customers removed.
 */
async function removeDemo(db: Kysely<Database>, places: DemoSeedPlaces): Promise<number> {
  const removed = await demoCustomerCount(db);
  await db
    .deleteFrom('chats')
    .where('platform', '=', 'web')
    .where('workspace', '=', places.webWorkspace)
    .where('external_key', 'like', `${DEMO_CHAT_PREFIX}%`)
    .execute();
  await db.deleteFrom('customers').where('origin_key', 'like', `${DEMO_ORIGIN}%`).execute();
  await db
    .deleteFrom('staff')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('staff_identities')
        .select('staff_id')
        .where('platform', '=', 'web')
        .where('workspace', '=', places.webPeopleWorkspace)
        .where(
          'external_id',
          'in',
          DEMO_STAFF.map((s) => s.webId),
        ),
    )
    .execute();
  for (const t of [...DEMO_TEAMS].reverse()) {
    await db
      .deleteFrom('teams')
      .where('name', '=', t.name)
      .where(({ and, not, exists, selectFrom }) =>
        and([
          not(exists(selectFrom('staff').select('staff.id').whereRef('staff.team_id', '=', 'teams.id'))),
          not(
            exists(
              selectFrom('teams as child').select('child.id').whereRef('child.parent_id', '=', 'teams.id'),
            ),
          ),
        ]),
      )
      .execute();
  }
  return removed;
}
