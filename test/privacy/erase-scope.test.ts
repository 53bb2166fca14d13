import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/core/kernel/permissions/actor.ts';
import { resolveCustomer } from '../../src/core/records/customers/resolve.ts';
import { eraseCustomer } from '../../src/core/records/privacy/erase.ts';
import { dialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';

const NOW = Date.UTC(2026, 10, 30, 2, 0);

/** Erasure follows the person's traces into raw records, and stops at other people's. */
describe.each(dialectsUnderTest())('what an erasure reaches on $name', (dialect) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await dialect.open();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const delivery = (key: string, payload: string, status: 'done' | 'pending' = 'done') => ({
    platform: 'telegram' as const,
    workspace: 'bot',
    dedup_key: key,
    payload,
    status,
    attempts: 1,
    available_at: status === 'pending' ? NOW + 86_400_000 : NOW,
    received_at: NOW,
  });

  it('blanks her raw deliveries, keeps words that only contain her short name, and other people’s plans', async () => {
    const li = { externalId: '77012', workspace: '', displayName: 'Li' };
    const id = (await resolveCustomer(t.db, 'telegram', li, NOW, { source: 'telegram' })).customerId;
    await t.db
      .insertInto('inbox')
      .values([
        delivery('1', '{"message":{"from":{"id":77012,"first_name":"Li"},"text":"hi"}}'),
        delivery('2', '{"message":{"from":{"id":770120},"text":"our client list"}}'),
        delivery('3', `{"message":{"text":"/note #${id} 回访"}}`),
        delivery('4', `{"message":{"text":"/note #${id}0 回访"}}`),
        // Waiting, and naming her only by name: a staff member's command, left to run.
        delivery('5', '{"message":{"text":"/find Li"}}', 'pending'),
      ])
      .execute();
    await t.db
      .insertInto('audit_log')
      .values({ at: NOW, actor_kind: 'system', action: 'customer.tag_added', detail: '{"tag":"client"}' })
      .execute();

    const done = await eraseCustomer(t.db, NOW, id, cliActor);
    expect(done !== 'not_allowed' && done?.erased).toMatchObject({ inbox: 2, identities: 1, customers: 1 });
    const rows = await t.db
      .selectFrom('inbox')
      .select(['dedup_key', 'payload', 'status'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.dedup_key, r.payload === '' ? 'blank' : 'kept', r.status])).toEqual([
      ['1', 'blank', 'done'],
      ['2', 'kept', 'done'],
      ['3', 'blank', 'done'],
      ['4', 'kept', 'done'],
      ['5', 'kept', 'pending'],
    ]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'customer.tag_added')
      .execute();
    expect(audit).toEqual([{ detail: '{"tag":"client"}' }]);
  });
});
