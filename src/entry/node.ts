import { existsSync } from 'node:fs';
import pino from 'pino';
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { startNodeServer } from '../node/server.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(
    `Liaison cannot start: ${error.message}\nSee .env.example and docs/deploy/configuration.md for every variable.\n`,
  );
  process.exit(1);
}

const logger = pino({ level: config.logLevel, base: undefined });
const server = await startNodeServer({ config, logger }).catch((error: unknown) => {
  process.stderr.write(`Liaison cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

const on = (flag: boolean) => (flag ? 'on ' : 'off');
const adapterLine = (name: string, route: string, missing: string) =>
  `  ${name.padEnd(9)} ${on(server.adapters.has(name))} ${server.adapters.has(name) ? route : `(set ${missing})`}`;
process.stdout.write(
  [
    `Liaison listening on http://${config.host}:${server.port}`,
    `  database  ${server.databaseDescription}${server.appliedMigrations.length ? ` (applied ${server.appliedMigrations.length} migration(s))` : ''}`,
    adapterLine('telegram', 'POST /webhooks/telegram', 'TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET'),
    adapterLine(
      'wecom',
      `GET|POST /webhooks/wecom; 微信客服 ${config.wecom?.kfSecret ? 'on' : 'off (set WECOM_KF_SECRET)'}`,
      'WECOM_CORP_ID, WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_AGENT_ID and WECOM_AGENT_SECRET',
    ),
    adapterLine(
      'feishu',
      `POST /webhooks/feishu (${config.feishu?.domain ?? ''})`,
      'FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN',
    ),
    `  api       ${on(config.apiToken !== null)} ${config.apiToken ? 'GET /api/customers (Bearer API_TOKEN)' : '(set API_TOKEN)'}`,
    `  playground ${config.playground ? `on  http://localhost:${server.port}/playground (this computer only)` : 'off (set PLAYGROUND=on)'}`,
    `  admins    ${config.adminIds.length}`,
    `  llm       ${on(config.llm !== null)} ${config.llm ? `${config.llm.model} (plain language${config.autoTagLlm ? ', auto-tagging' : ''})` : '(set OPENAI_API_KEY)'}`,
    `  tag rules ${config.tagRulesFile ?? 'shipped defaults (set TAG_RULES_FILE to edit)'}`,
    '',
  ].join('\n'),
);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
