import { readFileSync } from 'node:fs';
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// The suite that runs inside workerd (miniflare, local D1), against the Worker entry and wrangler.toml's settings.
// Platform APIs are answered by `outboundService`, which sees every subrequest the Worker makes (fetch and node:http).
const json = (file: string) => readFileSync(new URL(`./test/fixtures/${file}`, import.meta.url), 'utf8');
const telegramConfig = JSON.parse(json('telegram/config.json')) as {
  botToken: string;
  webhookSecret: string;
};

const WORKER_TEST_ENV = {
  API_TOKEN: 'worker-test-api-token-0123456789',
  ADMIN_IDS: 'telegram:5000000001',
  TIMEZONE: 'UTC',
  TELEGRAM_BOT_TOKEN: telegramConfig.botToken,
  TELEGRAM_WEBHOOK_SECRET: telegramConfig.webhookSecret,
  TELEGRAM_API_ROOT: 'https://telegram.test',
  WECOM_CORP_ID: 'wx5823bf96d3bd56c7',
  WECOM_TOKEN: 'QDG6eK',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_AGENT_ID: '1000002',
  WECOM_AGENT_SECRET: 'fixture-agent-secret-xlAFMDwlhE9KmauBRP1BSu',
  WECOM_API_BASE: 'https://wecom.test',
  LOG_LEVEL: 'warn',
};

function fakePlatforms(request: Request): Response {
  const url = new URL(request.url);
  if (url.hostname === 'telegram.test') {
    if (url.pathname.endsWith('/getMe')) return new Response(json('telegram/api-get-me.json'));
    // A photo to keep (test/workers/attachments.test.ts): getFile, then the file itself (a JPEG's first bytes).
    if (url.pathname.endsWith('/getFile'))
      return Response.json({
        ok: true,
        result: { file_id: 'w', file_unique_id: 'w', file_size: 64, file_path: 'photos/worker.jpg' },
      });
    if (url.pathname.endsWith('/photos/worker.jpg'))
      return new Response(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(60).fill(0x41)]));
    return new Response(json('telegram/api-send-message.json'));
  }
  if (url.hostname === 'wecom.test') {
    if (url.pathname.endsWith('/gettoken')) return new Response(json('wecom/api-gettoken.json'));
    return new Response(json('wecom/api-message-send-ok.json'));
  }
  return new Response('no network in tests', { status: 599 });
}

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: WORKER_TEST_ENV,
        outboundService: fakePlatforms as never,
        // Attachments are kept in R2 on Workers (a local bucket here).
        r2Buckets: ['ATTACHMENTS_BUCKET'],
      },
    }),
  ],
  test: {
    include: ['test/workers/**/*.test.ts'],
    // wrangler.toml's [assets] directory: the web app's client, built before workerd starts.
    globalSetup: ['test/web/panel-build.setup.ts'],
    testTimeout: 30_000,
  },
});
