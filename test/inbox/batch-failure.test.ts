import { type Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema.ts';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { telegramFixture } from '../helpers/fake-telegram.ts';
import { type Harness, startHarness, waitFor } from '../helpers/harness.ts';

const base = telegramFixture('update-private-customer.json') as {
  update_id: number;
  message: { message_id: number; text: string; from: { id: number }; chat: { id: number } };
};

/** Customer `n`'s message; `text` decides whether the database refuses it. */
const update = (n: number, text: string) => ({
  ...base,
  update_id: 845_400_000 + n,
  message: {
    ...base.message,
    message_id: 9_000 + n,
    text,
    from: { ...base.message.from, id: 6_300_000_000 + n },
    chat: { ...base.message.chat, id: 6_300_000_000 + n },
  },
});

/** Makes the database refuse storing a message whose text holds `boom` (a trigger); returns the cure. */
async function refuseBoom(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  if (dialect === 'sqlite') {
    await sql
      .raw(
        `create trigger fault_boom before insert on messages when new.text like '%boom%'
         begin select raise(abort, 'injected: boom'); end`,
      )
      .execute(db);
    return () => sql.raw('drop trigger fault_boom').execute(db);
  }
  await sql
    .raw(
      `create function fault_boom() returns trigger language plpgsql as $$ begin
         if new.text like '%boom%' then raise exception 'injected: boom'; end if; return new; end $$;
       create trigger fault_boom before insert on messages for each row execute function fault_boom();`,
    )
    .execute(db);
  return () => sql.raw('drop trigger fault_boom on messages; drop function fault_boom();').execute(db);
}

describe.each(serverDialectsUnderTest())('a failing delivery among others on $name', (dialect) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const texts = async () =>
    (await h.db.selectFrom('messages').select('text').execute()).map((m) => m.text).sort();

  it("one customer's message the database refuses neither loses nor doubles the others, and lands once when it can", async () => {
    h = await startHarness(dialect, { settings: { retryBaseMs: 300, retryMaxMs: 300 } });
    const cure = await refuseBoom(h.db, h.database.dialect);
    const sent = Array.from({ length: 12 }, (_, n) => update(n, n === 5 ? `boom ${n}` : `你好 ${n}`));
    // Delivered at once, so they share one claimed batch.
    const answers = await Promise.all(sent.map((u) => h.postUpdate(u)));
    expect(answers.map((a) => a.status)).toEqual(sent.map(() => 200));
    const others = sent.filter((_, n) => n !== 5).map((u) => u.message.text);
    await waitFor(async () => (await texts()).length === others.length);
    const failing = await waitFor(async () => {
      const row = await h.db
        .selectFrom('inbox')
        .selectAll()
        .where('dedup_key', '=', String(sent[5]?.update_id))
        .executeTakeFirstOrThrow();
      return row.last_error ? row : undefined;
    });
    expect(failing.last_error).toContain('injected: boom');
    expect(failing.status).toBe('pending'); // retried later, not given up
    expect(await texts()).toEqual(others.sort());
    await cure();
    await waitFor(async () => (await texts()).length === sent.length, 5_000);
    expect(await texts()).toEqual(sent.map((u) => u.message.text).sort());
    const customers = await h.db.selectFrom('customers').select('id').execute();
    expect(customers).toHaveLength(sent.length);
    await waitFor(async () => {
      const rows = await h.db.selectFrom('inbox').select('status').execute();
      return rows.every((r) => r.status === 'done');
    });
  });
});
