// Liaison as `npm start` runs it (SQLite file, Telegram on), for the benchmark; reports its memory on request.
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startNodeServer } from '../src/node/server.ts';

const server = await startNodeServer({ config: loadConfig(process.env), logger: pino({ level: 'warn' }) });
process.stdout.write(`READY ${server.url}\n`);
process.on('message', (m) => {
  if (m === 'memory')
    process.send?.({ rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
});
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
