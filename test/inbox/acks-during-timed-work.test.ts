import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dialectsUnderTest } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const BACKLOG = 3_000;

const customerMessage = telegramFixture('update-private-customer.json') as { update_id: number };

// On SQLite every query resolves without waiting, so background work that never lets requests in between its batches
// holds every webhook until its whole backlog is done.
describe.each(dialectsUnderTest().filter((d) => d.name === 'sqlite'))(
  'timed work with a backlog on $name',
  (dialect) => {
    let h: Harness;
    afterEach(async () => {
      await h?.close();
    });

    it('lets a webhook be acknowledged between its batches, not after the whole backlog', async () => {
      h = await startHarness(dialect);
      const past = h.clock.now() - 60_000;
      // Thousands of unanswered bursts past their reply time: the reply check works through them 50 at a time.
      await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${BACKLOG})
      insert into customers (display_name, origin_key, first_contact_at, created_at, updated_at)
      select 'backlog ' || i, 'backlog:' || i, ${past}, ${past}, ${past} from n`.execute(h.db);
      await sql`insert into conversation_bursts
        (customer_id, started_at, last_message_at, llm_status, reply_due_at, created_at, updated_at)
      select id, ${past}, ${past}, 'skipped', ${past}, ${past}, ${past} from customers
      where origin_key like 'backlog:%'`.execute(h.db);
      const waiting = async () =>
        Number(
          (
            await h.db
              .selectFrom('conversation_bursts')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('reply_due_at', 'is not', null)
              .executeTakeFirstOrThrow()
          ).n,
        );
      await waitFor(async () => (await waiting()) < BACKLOG); // the reply check has started on it
      const ack = await h.postUpdate({ ...customerMessage, update_id: customerMessage.update_id + 77 });
      expect(ack.status).toBe(200);
      expect(await waiting()).toBeGreaterThan(0);
      await waitFor(async () => (await waiting()) === 0, 30_000); // and the backlog is still worked through
    });
  },
);
