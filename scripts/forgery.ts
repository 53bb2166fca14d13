/**
 * The long forgery run: ≥10,000 generated bad requests per platform against the real server on SQLite, then a few
 * genuine requests sent twice. Prints statuses per mutation kind and the rows stored; exits 1 on any finding.
 *
 *   npm run forgery -- [--count 10000] [--seed 20260302] [--replays 20] [--platforms telegram,wecom,wecom-archive,feishu,web]
 */
import { parseArgs } from 'node:util';
import { dialectsUnderTest } from '../test/helpers/databases.ts';
import { API_TOKEN, FEISHU_ENV, startHarness, WEBHOOK_SECRET, WECOM_ENV } from '../test/helpers/harness.ts';
import { ARCHIVE_SECRET } from '../test/helpers/wecom-archive.ts';
import { pageSecret } from '../test/playground/helpers.ts';
import { archiveCorpus } from '../test/security/forgery-archive.ts';
import {
  type CorpusContext,
  feishuCorpus,
  type PlatformCorpus,
  runCorpus,
  telegramCorpus,
  webCorpus,
  wecomCorpus,
} from '../test/security/forgery-corpus.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20260302' },
    replays: { type: 'string', default: '20' },
    platforms: { type: 'string', default: 'telegram,wecom,wecom-archive,feishu,web' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
const replays = Number(values.replays);

const corpora: Record<string, (ctx: CorpusContext) => PlatformCorpus> = {
  telegram: () => telegramCorpus(),
  wecom: wecomCorpus,
  'wecom-archive': archiveCorpus,
  feishu: feishuCorpus,
  web: webCorpus,
};

const sqlite = dialectsUnderTest().find((d) => d.name === 'sqlite');
if (!sqlite) throw new Error('SQLite is not available');

let findings = 0;
const totalStarted = performance.now();
for (const platform of values.platforms.split(',')) {
  const make = corpora[platform];
  if (!make) throw new Error(`unknown platform ${platform}`);
  // A fresh server and database per platform: whatever is stored afterwards came from this platform's run.
  const h = await startHarness(sqlite, {
    wecom: true,
    feishu: true,
    env: { WECOM_ARCHIVE_SECRET: ARCHIVE_SECRET },
  });
  try {
    const webSecret = await pageSecret(h.url);
    const corpus = make({ now: () => h.clock.now(), webSecret });
    const secrets = [
      WEBHOOK_SECRET,
      API_TOKEN,
      webSecret,
      WECOM_ENV.WECOM_TOKEN,
      WECOM_ENV.WECOM_ENCODING_AES_KEY,
      ARCHIVE_SECRET,
      FEISHU_ENV.FEISHU_ENCRYPT_KEY,
      FEISHU_ENV.FEISHU_VERIFICATION_TOKEN,
      FEISHU_ENV.FEISHU_APP_SECRET,
    ];
    const run = await runCorpus(h.url, corpus, { count, seed, replays: 0, secrets });
    const storedByForgeries = await rows(h.db, 'inbox');
    const customers = await rows(h.db, 'customers');
    const messages = await rows(h.db, 'messages');
    const replay = await runCorpus(h.url, corpus, { count: 0, seed, replays, secrets });
    const storedAfterReplays = await rows(h.db, 'inbox');
    const healthz = (await fetch(`${h.url}/healthz`)).status;

    console.log(`\n${platform}: ${run.forged} forged requests in ${(run.ms / 1000).toFixed(1)} s`);
    for (const [kind, statuses] of Object.entries(run.byKind)) {
      const seen = Object.entries(statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ');
      console.log(`  ${kind.padEnd(28)} ${seen}`);
    }
    console.log(
      `  rows stored by forgeries: inbox ${storedByForgeries}, customers ${customers}, messages ${messages}`,
    );
    console.log(
      `  ${replays} genuine requests sent twice: statuses ${JSON.stringify(replay.replayStatuses)}, inbox rows ${storedAfterReplays}`,
    );
    console.log(`  GET /healthz after the run: ${healthz}`);
    const bad =
      run.failures.length +
      storedByForgeries +
      customers +
      messages +
      (storedAfterReplays === replays ? 0 : 1) +
      (healthz === 200 ? 0 : 1);
    for (const f of run.failures.slice(0, 20)) console.log(`  FINDING ${f.kind} → ${f.status} ${f.path}`);
    findings += bad;
  } finally {
    await h.close();
  }
}
console.log(`\nTotal ${((performance.now() - totalStarted) / 1000).toFixed(1)} s; findings: ${findings}`);
process.exit(findings === 0 ? 0 : 1);

async function rows(
  db: Awaited<ReturnType<typeof startHarness>>['db'],
  table: 'inbox' | 'customers' | 'messages',
) {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
