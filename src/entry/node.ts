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
    `Liaison cannot start: ${error.message}\nSee .env.example and the README for every variable.\n`,
  );
  process.exit(1);
}

const logger = pino({ level: config.logLevel, base: undefined });
const server = await startNodeServer({ config, logger }).catch((error: unknown) => {
  process.stderr.write(`Liaison cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

const on = (flag: boolean) => (flag ? 'on ' : 'off');
process.stdout.write(
  [
    `Liaison listening on http://${config.host}:${server.port}`,
    `  database  ${server.databaseDescription}${server.appliedMigrations.length ? ` (applied ${server.appliedMigrations.length} migration(s))` : ''}`,
    `  telegram  ${on(server.adapters.has('telegram'))} ${server.adapters.has('telegram') ? 'POST /webhooks/telegram' : '(set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET)'}`,
    `  api       ${on(config.apiToken !== null)} ${config.apiToken ? 'GET /api/customers (Bearer API_TOKEN)' : '(set API_TOKEN)'}`,
    `  admins    ${config.adminIds.length}`,
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
