// Fixed-rate runs with wrk (Debian package `wrk`), a C load generator: a JavaScript client adds a tail of its own
// (a no-op server measures 8–80 ms p99 under autocannon at 1,000 req/s on a 2-core machine, 2–3 ms under wrk).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WrkResult {
  requests: number;
  non2xx: number;
  errors: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

export const wrkAvailable = (): boolean => spawnSync('wrk', ['--version']).error === undefined;

/**
 * POSTs unique updates at about `rate` req/s: every connection waits connections/rate between requests (wrk's
 * `delay()`). wrk times each request from when it is sent, so the figures carry no coordinated-omission correction.
 */
export async function wrkFixedRate(
  url: string,
  o: {
    rate: number;
    connections: number;
    seconds: number;
    secret: string;
    template: string;
    firstId: number;
  },
): Promise<WrkResult> {
  const script = join(mkdtempSync(join(tmpdir(), 'liaison-wrk-')), 'fixed-rate.lua');
  writeFileSync(
    script,
    `local template = [==[${o.template}]==]
local counter = 0
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
function init(args) counter = tonumber(args[1]) + tid * 10000000 end
function delay() return ${Math.round((o.connections * 1000) / o.rate)} end
function request()
  counter = counter + 1
  local body = template:gsub("UPDATE_ID", tostring(counter)):gsub("USER_ID", tostring(6000000000 + counter % 5000))
  return wrk.format("POST", "/webhooks/telegram",
    { ["content-type"] = "application/json", ["x-telegram-bot-api-secret-token"] = "${o.secret}" }, body)
end
`,
  );
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', [
      '-t2',
      `-c${o.connections}`,
      `-d${o.seconds}s`,
      '--latency',
      '-s',
      script,
      url,
      '--',
      String(o.firstId),
    ]);
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.once('error', reject);
    child.once('exit', () => resolve(text));
  });
  const ms = (label: string) => {
    const m = new RegExp(`${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m?.[1]) return Number.NaN;
    const value = Number(m[1]);
    return m[2] === 'us' ? value / 1000 : m[2] === 's' ? value * 1000 : value;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    reqPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50: ms('50'),
    p99: ms('99'),
  };
}
