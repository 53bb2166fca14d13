// Liaison as `npm start` runs it (SQLite file, Telegram on), for the benchmark; reports its memory on request.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startNodeServer } from '../src/node/server.ts';

const server = await startNodeServer({ config: loadConfig(process.env), logger: pino({ level: 'warn' }) });
// Main-thread time in garbage collection since start: the price of the heap flags `npm start` sets.
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
process.stdout.write(`READY ${server.url}\n`);
process.on('message', (m) => {
  if (m !== 'memory') return;
  const usage = process.memoryUsage();
  const heap = getHeapStatistics();
  // The shape of ServerMemory (bench/memory.ts).
  process.send?.({
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    // Pages V8 holds for its heaps (the young generation's semi-spaces included), whether or not they hold objects.
    heapPhysical: heap.total_physical_size,
    gcMs,
    spaces: Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size])),
  });
});
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
