// Runs the real server in its own process so a test can SIGKILL it; prints "READY <url>" once listening.
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { startNodeServer } from '../../src/node/server.ts';

const settings = JSON.parse(process.env.LIAISON_TEST_QUEUE_SETTINGS ?? '{}');
const server = await startNodeServer({
  config: loadConfig(process.env),
  logger: pino({ level: 'silent' }),
  settings,
});
process.stdout.write(`READY ${server.url}\n`);
