// WeCom directory sync at scale: 50,000 customers over 20 members (every 10th held by two) read from the fake WeCom
// on loopback and stored in SQLite through the real sync (`startSync` + `runSyncStep`, the same path as
// `liaison sync wecom`), then a second, idempotent run. The reference, measured in the same run, is reading every
// page alone (batch/get_by_user through the same adapter, nothing stored): what WeCom's answers cost by themselves.
// Run alone: `npx tsx bench/wecom-sync.ts` (BENCH_SYNC_CONTACTS for a smaller book), or BENCH_ONLY=wecom-sync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWecomAdapter } from '../adapters/wecom/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { openSqlite } from '../db/sqlite.ts';
import { readSyncJob, type SyncJobView, startSync } from '../src/core/inbound/sync/jobs.ts';
import { runSyncStep } from '../src/core/inbound/sync/run.ts';
import { cliActor } from '../src/core/kernel/permissions/actor.ts';
import type { CoreDeps } from '../src/core/kernel/runtime.ts';
import { FakeWecom } from '../test/helpers/fake-wecom.ts';
import { installDirectory, seedDirectory } from '../test/helpers/fake-wecom-directory.ts';
import { WECOM_ENV } from '../test/helpers/harness.ts';
import { benchCoreDeps } from './core-deps.ts';

const CONTACTS = Number(process.env.BENCH_SYNC_CONTACTS ?? 50_000);
const MEMBERS = 20;
/** The first sync of the whole book (all new customers) within this long on SQLite: a corp's book over a coffee. */
const TARGET_MS = 10 * 60_000;

export async function benchWecomSync(): Promise<boolean> {
  const fake = await new FakeWecom({
    corpId: WECOM_ENV.WECOM_CORP_ID,
    secrets: [WECOM_ENV.WECOM_AGENT_SECRET, WECOM_ENV.WECOM_CONTACT_SECRET],
  }).start();
  const dir = installDirectory(fake);
  seedDirectory(fake, dir, { members: MEMBERS, contacts: CONTACTS });
  const folder = mkdtempSync(join(tmpdir(), 'liaison-sync-bench-'));
  const db = openSqlite(join(folder, 'liaison.sqlite'));
  await migrateToLatest(db);
  const adapter = createWecomAdapter(
    {
      corpId: WECOM_ENV.WECOM_CORP_ID,
      token: WECOM_ENV.WECOM_TOKEN,
      encodingAesKey: WECOM_ENV.WECOM_ENCODING_AES_KEY,
      agentId: Number(WECOM_ENV.WECOM_AGENT_ID),
      agentSecret: WECOM_ENV.WECOM_AGENT_SECRET,
      contactSecret: WECOM_ENV.WECOM_CONTACT_SECRET,
      kfSecret: null,
      apiBase: fake.apiBase,
      tagGroup: 'Liaison',
    },
    { now: Date.now },
  );
  const deps: CoreDeps = { ...benchCoreDeps(db, Date.now), adapters: new Map([['wecom', adapter]]) };
  try {
    // The reference: every page read alone, through the same adapter and pacing.
    const bulk = adapter.contacts?.bulk;
    if (!bulk) throw new Error('the WeCom adapter has no bulk directory');
    let started = performance.now();
    const members = await bulk.listMembers();
    let read = 0;
    let cursor = '';
    do {
      const page = await bulk.listContacts(members, cursor);
      read += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    const referenceMs = performance.now() - started;

    const run = async (): Promise<{ ms: number; job: SyncJobView }> => {
      const t0 = performance.now();
      const outcome = await startSync(deps, cliActor, 'wecom');
      if ('refused' in outcome) throw new Error(outcome.refused);
      const o = { owner: 'bench', leaseMs: 60_000, retryBaseMs: 100, retryMaxMs: 1_000 };
      let job = await readSyncJob(deps, cliActor, outcome.job.id);
      while (job && job !== 'not_allowed' && (job.status === 'queued' || job.status === 'running')) {
        // Nothing due: a refusal's backoff (an idle keep-alive socket the fake closed counts as one).
        if ((await runSyncStep(deps, o)) === 0) await new Promise((r) => setTimeout(r, 20));
        job = await readSyncJob(deps, cliActor, outcome.job.id);
      }
      if (!job || job === 'not_allowed' || job.status !== 'done')
        throw new Error(`the sync did not finish: ${JSON.stringify(job)}`);
      return { ms: performance.now() - t0, job };
    };
    started = performance.now();
    const first = await run();
    const second = await run();
    const perSecond = (ms: number) => Math.round((CONTACTS / ms) * 1000).toLocaleString('en');
    const ratio = first.ms / referenceMs;
    console.log(
      `WeCom sync of ${CONTACTS.toLocaleString('en')} customers over ${MEMBERS} members (${read.toLocaleString('en')} pairs), SQLite`,
    );
    console.log(`  reference: reading every page alone   ${(referenceMs / 1000).toFixed(1)} s`);
    console.log(
      `  first sync (all new)                   ${(first.ms / 1000).toFixed(1)} s, ${perSecond(first.ms)} customers/s, ${ratio.toFixed(1)}× the reference; created ${first.job.summary.customersCreated}`,
    );
    console.log(
      `  second sync (nothing changed)          ${(second.ms / 1000).toFixed(1)} s, ${perSecond(second.ms)} customers/s, ${(second.ms / referenceMs).toFixed(1)}× the reference; unchanged: ${second.job.unchanged}`,
    );
    const pass =
      first.ms <= TARGET_MS && second.job.unchanged && first.job.summary.customersCreated === CONTACTS;
    console.log(
      `WeCom sync  ${(first.ms / 1000).toFixed(0)} s (${ratio.toFixed(1)}× reading alone)   target <= ${TARGET_MS / 1000} s, idempotent   ${pass ? 'PASS' : 'FAIL'}`,
    );
    return pass;
  } finally {
    await db.destroy();
    await fake.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = (await benchWecomSync()) ? 0 : 1;
