/**
 * The chaos run shared by `npm run chaos` and its smaller version in `npm test`: the real server in a child process,
 * fed recorded-style deliveries from the three platforms while it is SIGKILLed, its database kept busy and the platform
 * and LLM APIs fail; then, faults stopped, the backlog must drain with nothing lost and nothing sent twice.
 */
import { sql } from 'kysely';
import { type ChildServer, startChildServer } from '../helpers/child-process.ts';
import type { DialectUnderTest, TestDatabase } from '../helpers/databases.ts';
import { FakeFeishu } from '../helpers/fake-feishu.ts';
import { FakeOpenAi } from '../helpers/fake-openai.ts';
import { FakeTelegram } from '../helpers/fake-telegram.ts';
import { FakeWecom } from '../helpers/fake-wecom.ts';
import {
  ADMIN_IDS,
  API_TOKEN,
  BOT_TOKEN,
  FEISHU_ENV,
  WEBHOOK_SECRET,
  WECOM_ENV,
  waitFor,
} from '../helpers/harness.ts';
import { ApiFaults, holdDatabaseBusy } from './chaos-faults.ts';
import { planChaos } from './chaos-plan.ts';

export interface ChaosOptions {
  deliveries: number;
  kills: number;
  dialect: DialectUnderTest;
  /** Share of API calls answered with a fault while faults are on. */
  faultRate?: number;
  concurrency?: number;
  drainLimitMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface ChaosFigures {
  database: string;
  /** `CHAOS_SEED` that repeats this run's plan and faults. */
  seed: number;
  /** Each reply sent more than once outside the at-least-once window: its token, send times and the kill times (ms). */
  duplicateDetails: string[];
  deliveries: number;
  unique: number;
  resent: number;
  kills: number;
  dbBusyEpisodes: number;
  apiFaults: Record<string, Record<string, number>>;
  acknowledged: number;
  notAcknowledgedRetries: number;
  inbox: number;
  processed: number;
  failedInbox: number;
  failedOutbox: number;
  messages: number;
  duplicateMessages: number;
  staffCommands: number;
  replies: number;
  unanswered: number;
  sends: number;
  repeatedSendsAfterKill: number;
  duplicateSends: number;
  llmCalls: number;
  sendSeconds: number;
  drainSeconds: number;
  drained: boolean;
}

/** The in-flight sends a SIGKILL may leave unconfirmed (and so repeated): the outbox sender's lanes. */
export const SEND_LANES = 8;

/** A small seeded generator (mulberry32), so a failing run can be repeated with the same faults. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runChaos(o: ChaosOptions): Promise<ChaosFigures> {
  const seed = o.seed ?? Date.now() % 100_000;
  const random = seeded(seed);
  const log = o.log ?? (() => {});
  const concurrency = o.concurrency ?? 32;
  const telegram = await new FakeTelegram(BOT_TOKEN).start();
  const wecom = await new FakeWecom({
    corpId: WECOM_ENV.WECOM_CORP_ID,
    secrets: [WECOM_ENV.WECOM_AGENT_SECRET, WECOM_ENV.WECOM_CONTACT_SECRET, WECOM_ENV.WECOM_KF_SECRET],
  }).start();
  const feishu = await new FakeFeishu().start();
  const openai = await new FakeOpenAi().start();
  openai.respond = () => ({
    text: JSON.stringify({ tags: [], intent: 'other', sentiment: 'neutral', stage: null, summary: '' }),
  });
  const faults = new ApiFaults(o.faultRate ?? 0.3, random);
  faults.install({ telegram, wecom, feishu, openai });
  const database: TestDatabase = await o.dialect.open({ migrate: false });
  const children: ChildServer[] = [];
  try {
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url as string,
      DATABASE_POOL_SIZE: '5',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      ...WECOM_ENV,
      WECOM_API_BASE: wecom.apiBase,
      ...FEISHU_ENV,
      FEISHU_DOMAIN: feishu.domain,
      OPENAI_API_KEY: 'sk-chaos-0123456789',
      OPENAI_BASE_URL: openai.url,
      ADMIN_IDS,
      API_TOKEN,
      LIAISON_TEST_QUEUE_SETTINGS: JSON.stringify({
        leaseMs: 20_000,
        pollMs: 50,
        retryBaseMs: 50,
        retryMaxMs: 1_000,
        sendTimeoutMs: 8_000,
      }),
    };
    const start = async () => {
      const child = await startChildServer(env);
      children.push(child);
      return child;
    };
    let server: Promise<ChildServer> = start();
    await server;

    const plan = planChaos(o.deliveries, seed);
    const killAt = new Set(
      Array.from({ length: o.kills }, (_, k) =>
        Math.floor(plan.sends.length * (0.1 + (0.7 * (k + random())) / Math.max(1, o.kills))),
      ),
    );
    const killTimes: number[] = [];
    const acked = new Set<number>();
    let acknowledged = 0;
    let retries = 0;
    let busyEpisodes = 0;
    let sending = true;
    faults.active = true;
    const began = Date.now();

    const busy = (async () => {
      while (sending) {
        await new Promise((r) => setTimeout(r, 500 + random() * 1_500));
        if (!sending) break;
        busyEpisodes++;
        await holdDatabaseBusy(database.dialect, database.url as string, 150 + random() * 350).catch(
          (error: unknown) => log(`db busy episode failed: ${String(error)}`),
        );
      }
    })();

    let next = 0;
    const worker = async () => {
      for (let i = next++; i < plan.sends.length; i = next++) {
        if (killAt.has(i)) {
          const victim = await server;
          killTimes.push(Date.now());
          server = victim.kill('SIGKILL').then(start);
          log(`SIGKILL at delivery ${i}, ${(killTimes.at(-1) as number) - began} ms`);
        }
        const d = plan.sends[i] as (typeof plan.sends)[number];
        // Like the platforms: a delivery without a 2xx is delivered again, until it is.
        for (let attempt = 0; ; attempt++) {
          const url = (await server).url;
          const ok = await d
            .post(url)
            .then(async (res) => {
              await res.arrayBuffer();
              return res.status >= 200 && res.status < 300;
            })
            .catch(() => false);
          if (ok) break;
          retries++;
          if (attempt > 200) throw new Error(`delivery ${d.index} (${d.platform}) was never acknowledged`);
          await new Promise((r) => setTimeout(r, 20 + attempt * 10));
        }
        acknowledged++;
        acked.add(d.index);
        if (i % 5_000 === 0 && i > 0) log(`${i} deliveries sent`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    sending = false;
    faults.active = false;
    await busy;
    const sentAt = Date.now();
    log(`all ${plan.sends.length} deliveries acknowledged; faults off, draining`);

    const { db } = database;
    const count = async (table: 'inbox' | 'outbox', status?: string) => {
      let q = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
      if (status) q = q.where('status', '=', status as 'pending');
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const replies = () => repliesByToken(telegram, wecom, feishu, faults);
    let lastReport = Date.now();
    const drained = await waitFor(async () => {
      const backlog = { inbox: await count('inbox', 'pending'), outbox: await count('outbox', 'pending') };
      const replied = replies().size;
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        log(`draining: ${backlog.inbox} deliveries, ${backlog.outbox} sends pending, ${replied} replies`);
      }
      return backlog.inbox === 0 && backlog.outbox === 0 && replied >= plan.staffTokens.length;
    }, o.drainLimitMs ?? 60_000).then(
      () => true,
      () => false,
    );
    const drainSeconds = (Date.now() - sentAt) / 1000;
    await new Promise((r) => setTimeout(r, 500)); // anything still (wrongly) in flight would show now

    const byToken = replies();
    let repeatedAfterKill = 0;
    let duplicateSends = 0;
    const duplicateDetails: string[] = [];
    for (const [token, at] of byToken) {
      if (at.length < 2) continue;
      const first = at[0] as number;
      const last = at[at.length - 1] as number;
      // The documented at-least-once window: a send confirmed by the platform but not yet recorded when killed.
      if (at.length === 2 && killTimes.some((k) => first <= k && last > k)) repeatedAfterKill++;
      else {
        duplicateSends++;
        const detail = `${token} at ${at.map((t) => t - began).join(', ')} ms (kills at ${killTimes.map((k) => k - began).join(', ')} ms)`;
        duplicateDetails.push(detail);
        log(`sent more than once: ${detail}`);
      }
    }
    const messages = await sql<{ n: number; keys: number }>`
      select count(*) as n, count(distinct platform || ':' || chat_id || ':' || platform_message_id) as keys
      from messages where direction = 'in' and platform_message_id is not null`.execute(db);
    const m = messages.rows[0] ?? { n: 0, keys: 0 };
    return {
      database: database.dialect,
      seed,
      duplicateDetails,
      deliveries: plan.sends.length,
      unique: plan.unique.length,
      resent: plan.resent,
      kills: killTimes.length,
      dbBusyEpisodes: busyEpisodes,
      apiFaults: faults.counts,
      acknowledged,
      notAcknowledgedRetries: retries,
      inbox: await count('inbox'),
      processed: await count('inbox', 'done'),
      failedInbox: await count('inbox', 'failed'),
      failedOutbox: await count('outbox', 'failed'),
      messages: Number(m.n),
      duplicateMessages: Number(m.n) - Number(m.keys),
      staffCommands: plan.staffTokens.length,
      replies: byToken.size,
      unanswered: plan.staffTokens.filter((t) => !byToken.has(t)).length,
      sends: await count('outbox', 'sent'),
      repeatedSendsAfterKill: repeatedAfterKill,
      duplicateSends,
      llmCalls: openai.requests.length,
      sendSeconds: (sentAt - began) / 1000,
      drainSeconds,
      drained,
    };
  } finally {
    for (const c of children) await c.kill();
    faults.active = false;
    for (const f of [telegram, wecom, feishu, openai]) await f.close();
    await database.cleanup();
  }
}

/** When each staff command's reply reached its chat (faulted calls never did), by the token it quotes. */
function repliesByToken(telegram: FakeTelegram, wecom: FakeWecom, feishu: FakeFeishu, faults: ApiFaults) {
  const found = new Map<string, number[]>();
  const note = (text: string, at: number) => {
    const token = /chaos\d+x\d+/.exec(text)?.[0];
    if (token) found.set(token, [...(found.get(token) ?? []), at]);
  };
  for (const c of telegram.callsTo('sendMessage')) if (!faults.failed.has(c)) note(String(c.body.text), c.at);
  for (const c of wecom.callsTo('/cgi-bin/message/send'))
    if (!faults.failed.has(c)) note(JSON.stringify(c.body), c.at);
  // Feishu drops a repeated uuid itself (the real Feishu does too): a uuid counts once, at its first call.
  const uuids = new Set<string>();
  for (const c of feishu.calls) {
    if (c.path !== '/open-apis/im/v1/messages' || faults.failed.has(c)) continue;
    const uuid = (c.body as { uuid?: string } | undefined)?.uuid;
    if (uuid !== undefined && uuids.has(uuid)) continue;
    if (uuid !== undefined) uuids.add(uuid);
    note(JSON.stringify(c.body), c.at);
  }
  return found;
}

/** The figures as printed by `npm run chaos` and the test. */
export function formatFigures(f: ChaosFigures): string {
  const faults = Object.entries(f.apiFaults)
    .map(([api, c]) => `${api} ${c['5xx']}×5xx ${c['429']}×429 ${c.timeout}×timeout`)
    .join(', ');
  return [
    `chaos on ${f.database}: ${f.deliveries} deliveries (${f.unique} unique, ${f.resent} re-sent) over three platforms (CHAOS_SEED=${f.seed})`,
    `  faults: ${f.kills} SIGKILLs, ${f.dbBusyEpisodes} database-busy episodes, API faults: ${faults || 'none'}`,
    `  acknowledged ${f.acknowledged} (after ${f.notAcknowledgedRetries} re-deliveries of unacknowledged posts) in ${f.sendSeconds.toFixed(1)} s`,
    `  inbox ${f.inbox} rows, ${f.processed} processed, ${f.failedInbox} failed; messages ${f.messages}, ${f.duplicateMessages} duplicates`,
    `  staff commands ${f.staffCommands}, replied ${f.replies}, unanswered ${f.unanswered}; outbox sent ${f.sends}, failed ${f.failedOutbox}`,
    `  duplicate sends ${f.duplicateSends}, repeated after a kill (at-least-once window) ${f.repeatedSendsAfterKill}; LLM calls ${f.llmCalls}`,
    ...f.duplicateDetails.map((d) => `    sent more than once: ${d}`),
    `  backlog ${f.drained ? 'drained' : 'NOT drained'} ${f.drainSeconds.toFixed(1)} s after the faults stopped`,
  ].join('\n');
}
