// `npm run bench`: Telegram webhook ingest, Liaison vs an in-run reference (bare Hono + one prepared INSERT).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { FakeTelegram } from '../test/helpers/fake-telegram.ts';
import { wrkAvailable, wrkFixedRate } from './wrk.ts';

const SECRET = 'bench_secret_0123456789abcdef';
const TOKEN = '7012345678:AAFc2cZobEi_KzGY6YNpjFBL2Btszpwqk_X';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);

const update = JSON.parse(
  readFileSync(new URL('../test/fixtures/telegram/update-private-customer.json', import.meta.url), 'utf8'),
) as { update_id: number; message: { message_id: number; from: { id: number }; chat: { id: number } } };

interface Server {
  url: string;
  child: ChildProcess;
}

async function startServer(script: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url))],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url, child };
}

const stop = (s: Server) =>
  new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });

let nextId = 900_000_000;
/** Unique updates: a new update_id and message_id each, from a few thousand different customers. */
function body(): string {
  const id = nextId++;
  const user = 6_000_000_000 + (id % 5_000);
  return JSON.stringify({
    ...update,
    update_id: id,
    message: {
      ...update.message,
      message_id: id,
      from: { ...update.message.from, id: user },
      chat: { ...update.message.chat, id: user },
    },
  });
}

interface Load {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

async function load(url: string, options: { rate?: number; seconds: number }): Promise<Load> {
  const result = await autocannon({
    url: `${url}/webhooks/telegram`,
    connections: CONNECTIONS,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        setupRequest: (req) => ({ ...req, body: body() }),
      },
    ],
  });
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

const useWrk = wrkAvailable();
let wrkFirstId = 2_000_000_000;
const wrkTemplate = JSON.stringify({
  ...update,
  update_id: 'UPDATE_ID',
  message: {
    ...update.message,
    message_id: 'UPDATE_ID',
    from: { ...update.message.from, id: 'USER_ID' },
    chat: { ...update.message.chat, id: 'USER_ID' },
  },
})
  .replaceAll('"UPDATE_ID"', 'UPDATE_ID')
  .replaceAll('"USER_ID"', 'USER_ID');

/** A fixed-rate run: wrk when installed (a C client, no tail of its own), else autocannon. */
async function fixedRate(url: string): Promise<Load> {
  if (!useWrk) return load(url, { seconds: RATE_SECONDS, rate: RATE });
  const r = await wrkFixedRate(url, {
    rate: RATE,
    connections: CONNECTIONS,
    seconds: RATE_SECONDS,
    secret: SECRET,
    template: wrkTemplate,
    firstId: wrkFirstId,
  });
  wrkFirstId += 100_000_000;
  return { ...r, ok: r.requests - r.non2xx };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const ms = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1)).padStart(4);
const row = (name: string, r: Load) =>
  `${name.padEnd(36)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms  (${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors)`;

async function main(): Promise<void> {
  const telegram = await new FakeTelegram(TOKEN).start();
  const dbFile = join(mkdtempSync(join(tmpdir(), 'liaison-bench-')), 'liaison.sqlite');
  const liaisonEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: dbFile,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    LOG_LEVEL: 'warn',
  };
  console.log(
    `Telegram webhook ingest, ${CONNECTIONS} connections, ${SECONDS} s per run, ${ROUNDS} alternating rounds, unique updates; Node ${process.version}`,
  );
  const reference = await startServer('./reference-server.ts', {});
  const floor = await startServer('./reference-server.ts', { FLOOR: '1' });
  const liaison = await startServer('./liaison-server.ts', liaisonEnv);
  const db = new BetterSqlite3(dbFile, { readonly: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const drained = async () => {
    const started = Date.now();
    while (count("select count(*) as n from inbox where status = 'pending'") > 0)
      await new Promise((r) => setTimeout(r, 100));
    return Date.now() - started;
  };
  await load(reference.url, { seconds: 2 }); // warm-up both
  await load(liaison.url, { seconds: 2 });
  await drained();

  const ratios: number[] = [];
  // The tail at a fixed rate is noisy on a shared 2-core machine: alternate, and compare medians.
  const floorRates: Load[] = [];
  const refRates: Load[] = [];
  const ourRates: Load[] = [];
  let rateDrainMs = 0;
  for (let round = 0; round < Math.max(1, ROUNDS); round++) {
    floorRates.push(await fixedRate(floor.url));
    refRates.push(await fixedRate(reference.url));
    ourRates.push(await fixedRate(liaison.url));
    rateDrainMs = Math.max(rateDrainMs, await drained());
  }
  let accepted = ourRates.reduce((sum, r) => sum + r.ok, 0);
  for (let round = 1; round <= ROUNDS; round++) {
    const ref = await load(reference.url, { seconds: SECONDS });
    const ours = await load(liaison.url, { seconds: SECONDS });
    const drainMs = await drained();
    accepted += ours.ok;
    ratios.push(ours.reqPerSec / ref.reqPerSec);
    console.log(`round ${round}`);
    console.log(`  ${row('reference: Hono + prepared INSERT', ref)}`);
    console.log(`  ${row('Liaison POST /webhooks/telegram', ours)}`);
    console.log(
      `  ratio ${(ours.reqPerSec / ref.reqPerSec).toFixed(2)}; Liaison's backlog processed ${drainMs} ms after the load stopped`,
    );
  }
  const memory = await new Promise<{ rss: number; heapUsed: number }>((resolve) => {
    liaison.child.once('message', (m) => resolve(m as { rss: number; heapUsed: number }));
    liaison.child.send('memory');
  });
  const stored = count('select count(*) as n from inbox');
  const messages = count('select count(*) as n from messages');
  const failed = count("select count(*) as n from inbox where status = 'failed'");
  db.close();
  await Promise.all([stop(reference), stop(floor), stop(liaison)]);
  await telegram.close();

  console.log(
    `at a fixed ${RATE} req/s, ${RATE_SECONDS} s per run, ${useWrk ? 'measured with wrk' : 'measured with autocannon (install wrk for a client without a tail of its own)'}`,
  );
  for (const [i, r] of refRates.entries()) {
    console.log(`  ${row(`floor (answers 200, no work), run ${i + 1}`, floorRates[i] as Load)}`);
    console.log(`  ${row(`reference, run ${i + 1}`, r)}`);
    console.log(`  ${row(`Liaison, run ${i + 1}`, ourRates[i] as Load)}`);
  }
  console.log(`  processing kept up: backlog gone at most ${rateDrainMs} ms after each run`);
  console.log('');
  console.log(`throughput ratio (median of ${ROUNDS})  ${median(ratios).toFixed(2)}   target >= 0.60`);
  console.log(
    `p99 ack latency at ${RATE} req/s (median) ${ms(median(ourRates.map((r) => r.p99)))} ms   target <= 10 ms (reference ${ms(median(refRates.map((r) => r.p99)))} ms, floor ${ms(median(floorRates.map((r) => r.p99)))} ms)`,
  );
  console.log(
    `acknowledged ${accepted} measured (+ warm-up); stored ${stored}; processed into ${messages} messages; failed ${failed}`,
  );
  console.log(
    `server RSS ${(memory.rss / 1048576).toFixed(0)} MiB, JS heap ${(memory.heapUsed / 1048576).toFixed(0)} MiB`,
  );
  console.log(
    stored === messages && failed === 0
      ? 'nothing lost: every stored update became exactly one message'
      : 'LOST OR FAILED UPDATES',
  );
  if (stored !== messages || failed !== 0) process.exitCode = 1;
}

await main();
