import autocannon from 'autocannon';

export interface Load {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

export interface BenchRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Drives `url` with autocannon: flat out, or at `rate` requests/s overall; `next` makes every request unique. */
export async function autocannonLoad(
  url: string,
  o: { connections: number; seconds: number; rate?: number; next: () => BenchRequest },
): Promise<Load> {
  const result = await autocannon({
    url,
    connections: o.connections,
    duration: o.seconds,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...o.next() }) }],
  });
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export const ms = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1)).padStart(4);

export const row = (name: string, r: Load) =>
  `${name.padEnd(36)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms  (${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors)`;
