// WeCom chat archive backfill at scale: BENCH_ARCHIVE_RECORDS (default 20,000) records of 90 days' conversations —
// 400 customers one-to-one with 20 members and 20 customer groups, mostly text with a share of every other type —
// pushed in batches of 1,000 as the sidecar would (Standard Webhooks verify, one inbox row per record), then processed
// by the real inbox worker (decode → handleEvent: records, rule tags, alerts, bursts) on SQLite. The reference,
// measured in the same run, is the same pushes verified and stored in the inbox alone, nothing processed.
// Run alone: `npx tsx bench/wecom-archive.ts`, or BENCH_ONLY=wecom-archive.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWecomAdapter } from '../adapters/wecom/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openSqlite } from '../db/sqlite.ts';
import type { CoreDeps } from '../src/core/kernel/runtime.ts';
import type { PlatformAdapter } from '../src/core/ports/adapter.ts';
import { processInboxBatch } from '../src/jobs/inbox-worker.ts';
import { defaultQueueSettings } from '../src/jobs/settings.ts';
import { InboxWriter } from '../src/queue/inbox-writer.ts';
import { WECOM_ENV } from '../test/helpers/harness.ts';
import { ARCHIVE_SECRET, archiveHeaders } from '../test/helpers/wecom-archive.ts';
import { benchCoreDeps } from './core-deps.ts';

const RECORDS = Number(process.env.BENCH_ARCHIVE_RECORDS ?? 20_000);
const BATCH = 1_000;
/** The floor for a history backfill on SQLite. */
const RATE_TARGET = 1_000;
const DAY = 86_400_000;

/** Deterministic records: customer i talks with member i % 20; every 10th record is in a group. */
function records(start: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const span = 90 * DAY;
  for (let n = 0; n < RECORDS; n++) {
    const customer = `wmBench${String(n % 400).padStart(24, '0')}`;
    const member = `member${n % 20}`;
    const group = n % 10 === 9;
    const fromCustomer = n % 3 !== 2;
    const kind = n % 25;
    const body =
      kind === 0
        ? { msgtype: 'image', image: { sdkfileid: `file${n}`, md5sum: '', filesize: 1024 } }
        : kind === 1
          ? { msgtype: 'link', link: { title: '报价单', link_url: 'https://example.com/q' } }
          : kind === 2
            ? { msgtype: 'text', text: { content: '我要投诉，发货太慢了' } }
            : {
                msgtype: 'text',
                text: { content: fromCustomer ? `请问第${n}号订单什么时候发货？` : '今天下午发出' },
              };
    out.push({
      seq: n + 1,
      msgid: `${9_000_000_000 + n}_bench${fromCustomer ? '_external' : ''}`,
      action: 'send',
      from: fromCustomer ? customer : member,
      tolist: [fromCustomer ? member : customer],
      roomid: group ? `wrBenchRoom${n % 20}` : '',
      msgtime: start + Math.floor((n / RECORDS) * span),
      ...body,
    });
  }
  return out;
}

async function pushAll(
  adapter: PlatformAdapter,
  inbox: InboxWriter,
  all: Array<Record<string, unknown>>,
  now: number,
) {
  const archive = adapter.archive;
  if (!archive) throw new Error('the WeCom adapter has no archive');
  for (let i = 0; i < all.length; i += BATCH) {
    const body = JSON.stringify({ records: all.slice(i, i + BATCH) });
    const verdict = await archive.verify({
      method: 'POST',
      url: 'http://bench/webhooks/wecom-archive',
      headers: new Headers(archiveHeaders(body, now, { id: `msg_${i}` })),
      body,
    });
    if (verdict.kind !== 'accept')
      throw new Error(`push refused: ${verdict.kind === 'reject' ? verdict.reason : ''}`);
    await Promise.all(
      verdict.deliveries.map((d) => inbox.put({ platform: 'wecom', workspace: adapter.workspace, ...d })),
    );
  }
}

export async function benchWecomArchive(): Promise<boolean> {
  const folder = mkdtempSync(join(tmpdir(), 'liaison-archive-bench-'));
  const now = Date.now();
  const adapter = createWecomAdapter(
    {
      corpId: WECOM_ENV.WECOM_CORP_ID,
      token: WECOM_ENV.WECOM_TOKEN,
      encodingAesKey: WECOM_ENV.WECOM_ENCODING_AES_KEY,
      agentId: Number(WECOM_ENV.WECOM_AGENT_ID),
      agentSecret: WECOM_ENV.WECOM_AGENT_SECRET,
      contactSecret: null,
      kfSecret: null,
      archiveSecret: ARCHIVE_SECRET,
      // Alerts are queued in the outbox, never sent: nothing listens here.
      apiBase: 'http://127.0.0.1:9',
      tagGroup: 'Liaison',
    },
    { now: () => now },
  );
  const all = records(now - 90 * DAY);
  const open = async (name: string) => {
    const db = openSqlite(join(folder, name));
    await migrateToLatest(db);
    return db;
  };
  try {
    // The reference: verified and stored, nothing processed.
    const refDb = await open('reference.sqlite');
    let t0 = performance.now();
    await pushAll(adapter, new InboxWriter(refDb, { now: Date.now }), all, now);
    const referenceMs = performance.now() - t0;
    await refDb.destroy();

    const db = await open('liaison.sqlite');
    const core: CoreDeps = { ...benchCoreDeps(db, Date.now), adapters: new Map([['wecom', adapter]]) };
    t0 = performance.now();
    await pushAll(adapter, new InboxWriter(db, { now: Date.now }), all, now);
    const storedMs = performance.now() - t0;
    const deps = {
      core,
      owner: 'bench',
      settings: { ...defaultQueueSettings, batchSize: 200 },
      onSendsQueued: () => {},
      pace: async () => {},
    };
    while ((await processInboxBatch(deps)) > 0) {}
    const totalMs = performance.now() - t0;
    const failed = await db.selectFrom('inbox').select('id').where('status', '!=', 'done').execute();
    const messages = await db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await db.destroy();
    const rate = Math.round((RECORDS / totalMs) * 1000);
    const ratio = totalMs / referenceMs;
    console.log(`WeCom chat archive backfill of ${RECORDS.toLocaleString('en')} records (90 days), SQLite`);
    console.log(`  reference: verified and stored alone   ${(referenceMs / 1000).toFixed(2)} s`);
    console.log(`  stored                                 ${(storedMs / 1000).toFixed(2)} s`);
    console.log(
      `  stored and processed                   ${(totalMs / 1000).toFixed(2)} s, ${rate.toLocaleString('en')} records/s, ${ratio.toFixed(1)}× the reference; ${Number(messages.n).toLocaleString('en')} messages, ${failed.length} not done`,
    );
    const pass = rate >= RATE_TARGET && failed.length === 0;
    console.log(
      `WeCom archive  ${rate.toLocaleString('en')} records/s   target >= ${RATE_TARGET.toLocaleString('en')}/s   ${pass ? 'PASS' : 'FAIL'}`,
    );
    return pass;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = (await benchWecomArchive()) ? 0 : 1;
