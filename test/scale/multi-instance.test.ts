import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../helpers/child-process.ts';
import { serverDialectsUnderTest, type TestDatabase } from '../helpers/databases.ts';
import { FakeTelegram } from '../helpers/fake-telegram.ts';
import { ADMIN_IDS, API_TOKEN, BOT_TOKEN, WEBHOOK_SECRET, waitFor } from '../helpers/harness.ts';
import { type PlannedUpdate, planLoad } from './load-plan.ts';

const TOTAL = Number(process.env.MULTI_INSTANCE_UPDATES ?? 10_000);
const INSTANCES = 3;
const CONCURRENCY = 48;
const postgres = serverDialectsUnderTest().find((d) => d.name === 'postgres');
if (!postgres) console.warn('Multi-instance suite skipped: set TEST_DATABASE_URL=postgres://… to run it.');

/** Three stateless instances on one PostgreSQL database, one of them killed mid-way: every update once, every reply once. */
(postgres ? describe : describe.skip)('three instances on one PostgreSQL database', () => {
  let telegram: FakeTelegram;
  let database: TestDatabase;
  const instances: ChildServer[] = [];

  afterAll(async () => {
    for (const c of instances) await c.kill();
    await telegram?.close();
    await database?.cleanup();
  });

  const start = () =>
    startChildServer({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url as string,
      DATABASE_POOL_SIZE: '5',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ADMIN_IDS,
      API_TOKEN,
      LIAISON_TEST_QUEUE_SETTINGS: JSON.stringify({
        leaseMs: 5_000,
        pollMs: 50,
        retryBaseMs: 50,
        retryMaxMs: 500,
        sendTimeoutMs: 2_500,
      }),
    });

  it(`stores and answers ${TOTAL} updates with 20% copies exactly once, an instance killed mid-way`, async () => {
    telegram = await new FakeTelegram(BOT_TOKEN).start();
    // Unmigrated: the three instances apply the migrations at once, as a rolling start would.
    database = await (postgres as NonNullable<typeof postgres>).open({ migrate: false });
    instances.push(...(await Promise.all(Array.from({ length: INSTANCES }, start))));
    const plan = planLoad(TOTAL);

    const alive = [...instances];
    const victim = instances[0] as ChildServer;
    let next = 0;
    let acknowledged = 0;
    let retried = 0;
    let killedAt = Number.POSITIVE_INFINITY;
    let diedAt = Number.POSITIVE_INFINITY;
    const began = Date.now();
    const deliver = async (u: PlannedUpdate, index: number) => {
      // Like Telegram: an update without a 200 is delivered again, here to another live instance.
      for (let attempt = 0; ; attempt++) {
        const target = alive[(index + attempt) % alive.length] as ChildServer;
        const ok = await post(target, u.body).catch(() => false);
        if (ok) return;
        retried++;
        if (attempt > 20) throw new Error(`update ${u.updateId} was never acknowledged`);
      }
    };
    const sender = async () => {
      for (let i = next++; i < plan.sends.length; i = next++) {
        if (i === Math.floor(plan.sends.length / 2) && alive.includes(victim)) {
          alive.splice(alive.indexOf(victim), 1); // new sends go to the other two; in-flight ones retry there
          killedAt = Date.now();
          // The process may still send until the signal lands: its sends count as in flight until it is gone.
          void victim.kill().then(() => {
            diedAt = Date.now();
          });
        }
        await deliver(plan.sends[i] as PlannedUpdate, i);
        acknowledged++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    const sentIn = Date.now() - began;

    const { db } = database;
    const count = async (table: 'inbox' | 'outbox', status?: string) => {
      let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
      if (status) q = q.where('status', '=', status as 'pending');
      // Relays to the admins drain at the platform's pace (one per admin every few seconds) long after the
      // replies: they are counted on their own below, not waited for.
      if (table === 'outbox') q = q.where('idempotency_key', 'not like', 'relay:%');
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    await waitFor(
      async () =>
        (await count('inbox', 'pending')) === 0 &&
        (await count('outbox', 'pending')) === 0 &&
        telegram.callsTo('sendMessage').length >= plan.staffTokens.length,
      60_000,
    );
    const drainedIn = Date.now() - began - sentIn;
    await new Promise((r) => setTimeout(r, 500)); // anything still (wrongly) in flight would show now

    expect(acknowledged).toBe(TOTAL);
    expect(await count('inbox')).toBe(plan.uniqueCount);
    expect(await count('inbox', 'done')).toBe(plan.uniqueCount);
    expect(await count('inbox', 'failed')).toBe(0);
    expect(await count('outbox', 'failed')).toBe(0);
    expect(await count('outbox', 'pending')).toBe(0);
    const inbound = await sql<{ n: number; keys: number }>`
      select count(*)::int as n, count(distinct (chat_id, platform_message_id))::int as keys
      from messages where direction = 'in'`.execute(db);
    expect(inbound.rows[0]).toEqual({ n: plan.customerMessages, keys: plan.customerMessages });
    // Every customer message is to be relayed once to each admin (nobody owns these customers).
    const relays = await sql<{ n: number; keys: number }>`
      select count(*)::int as n, count(distinct (message_id, staff_id))::int as keys from relays`.execute(db);
    expect(relays.rows[0]).toEqual({ n: plan.customerMessages * 2, keys: plan.customerMessages * 2 });

    const replies = new Map<string, number[]>();
    for (const call of telegram.callsTo('sendMessage')) {
      const token = /nomatch\d+/.exec(String(call.body.text))?.[0];
      if (token) replies.set(token, [...(replies.get(token) ?? []), call.at]);
    }
    const unanswered = plan.staffTokens.filter((t) => !replies.has(t));
    // The one documented exception: a send in flight in the killed process is sent again (at least once there).
    const inFlightAtKill = [...replies.values()].filter(
      (at) => at.length === 2 && (at[0] as number) <= diedAt && (at[1] as number) > killedAt,
    );
    const twice = [...replies].filter(([, at]) => at.length > 1 && !inFlightAtKill.includes(at));
    expect({ unanswered: unanswered.length, twice }).toEqual({ unanswered: 0, twice: [] });
    expect(replies.size).toBe(plan.staffTokens.length);
    expect(inFlightAtKill.length).toBeLessThanOrEqual(10);

    console.info(
      `multi-instance: ${TOTAL} updates (${plan.uniqueCount} unique) to ${INSTANCES} instances, one killed mid-way: ` +
        `acknowledged in ${(sentIn / 1000).toFixed(1)} s (${Math.round(TOTAL / (sentIn / 1000))} updates/s, ` +
        `${retried} re-sent after the kill); backlog drained ${(drainedIn / 1000).toFixed(1)} s later; ` +
        `${plan.customerMessages} messages, ${replies.size} replies, each once ` +
        `(${inFlightAtKill.length} in flight in the killed instance sent again)`,
    );
  }, 180_000);
});

async function post(server: ChildServer, body: string): Promise<boolean> {
  const res = await fetch(`${server.url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body,
  });
  await res.arrayBuffer();
  return res.status === 200;
}
