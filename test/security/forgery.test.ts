import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import {
  API_TOKEN,
  FEISHU_ENV,
  type Harness,
  startHarness,
  WEBHOOK_SECRET,
  WECOM_ENV,
} from '../helpers/harness.ts';
import { ARCHIVE_SECRET } from '../helpers/wecom-archive.ts';
import { pageSecret } from '../playground/helpers.ts';
import { archiveCorpus } from './forgery-archive.ts';
import {
  type CorpusContext,
  feishuCorpus,
  type PlatformCorpus,
  runCorpus,
  telegramCorpus,
  webCorpus,
  wecomCorpus,
} from './forgery-corpus.ts';

/** The short run: `npm run forgery` sends ten thousand per platform. */
const FORGERIES = 1_000;
const REPLAYS = 5;
const SEED = 20260302;

const corpora: Record<string, (ctx: CorpusContext) => PlatformCorpus> = {
  telegram: () => telegramCorpus(),
  wecom: wecomCorpus,
  'wecom-archive': archiveCorpus,
  feishu: feishuCorpus,
  web: webCorpus,
};

describe.each(serverDialectsUnderTest())('Forged webhook requests on $name', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(dialect, {
      wecom: true,
      feishu: true,
      env: { WECOM_ARCHIVE_SECRET: ARCHIVE_SECRET },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const count = async (table: 'inbox' | 'customers' | 'messages') =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it.each(Object.keys(corpora))(
    'answers 1,000 forged %s requests with a 4xx, stores none of them, stores each genuine one sent twice once',
    async (platform) => {
      const webSecret = await pageSecret(h.url);
      const corpus = (corpora[platform] as (ctx: CorpusContext) => PlatformCorpus)({
        now: () => h.clock.now(),
        webSecret,
      });
      const secrets = [
        WEBHOOK_SECRET,
        API_TOKEN,
        webSecret,
        WECOM_ENV.WECOM_TOKEN,
        WECOM_ENV.WECOM_ENCODING_AES_KEY,
        WECOM_ENV.WECOM_AGENT_SECRET,
        ARCHIVE_SECRET,
        FEISHU_ENV.FEISHU_ENCRYPT_KEY,
        FEISHU_ENV.FEISHU_VERIFICATION_TOKEN,
        FEISHU_ENV.FEISHU_APP_SECRET,
      ];
      const run = await runCorpus(h.url, corpus, { count: FORGERIES, seed: SEED, replays: 0, secrets });
      // Each failure names its mutation kind and status, so a finding reads at a glance.
      expect(
        run.failures.map((f) => `${f.kind} → ${f.status}${f.echoedSecret ? ' (echoed a secret)' : ''}`),
      ).toEqual([]);
      expect(run.forged).toBe(FORGERIES);
      expect(Object.keys(run.byKind).sort()).toEqual([...corpus.kinds].sort());
      expect(await count('inbox')).toBe(0);
      expect(await count('customers')).toBe(0);
      expect(await count('messages')).toBe(0);

      const replayed = await runCorpus(h.url, corpus, { count: 0, seed: SEED, replays: REPLAYS, secrets });
      expect(replayed.replayStatuses).toEqual({ 200: REPLAYS * 2 });
      expect(await count('inbox')).toBe(REPLAYS);
      expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
    },
  );
});
