import type { Context } from 'hono';
import { parseIpv4, parseIpv6 } from '../lib/ip-addresses.ts';

/** What a held-back line leaves behind: how many lines of the source were not written since its last one. */
export interface Admitted {
  suppressed: number;
  /** Lines held back for sources forgotten or over the overall budget since the last line that reported them. */
  suppressedElsewhere?: number;
}

export interface SourceLogLimits {
  /** One line per source in this long. */
  windowMs: number;
  /** Sources remembered at most; the least recently seen is forgotten first. */
  maxSources: number;
  /** Lines per window for all sources together (a scan from many addresses). */
  maxLinesPerWindow: number;
}

const DEFAULT_LIMITS: SourceLogLimits = { windowMs: 60_000, maxSources: 1_000, maxLinesPerWindow: 60 };

interface Seen {
  loggedAt: number;
  suppressed: number;
}

/**
 * Lines about requests nobody vouched for (a failed verification, a body cut off) are the sender's to multiply:
 * at most one per source per window, the rest counted and reported with the source's next line. Memory and output
 * stay bounded whatever the sender does. Runtime-neutral: a clock, a Map, no timers.
 */
export class SourceLogLimiter {
  private readonly sources = new Map<string, Seen>();
  private readonly limits: SourceLogLimits;
  private windowStart = Number.NEGATIVE_INFINITY;
  private linesInWindow = 0;
  private heldBackElsewhere = 0;

  constructor(
    private readonly now: () => number,
    limits: Partial<SourceLogLimits> = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Sources remembered now (bounded by `maxSources`). */
  get remembered(): number {
    return this.sources.size;
  }

  /** Whether to write a line for `source` now (with what was held back), or null to hold it back. */
  admit(source: string): Admitted | null {
    const now = this.now();
    const seen = this.sources.get(source);
    if (seen) {
      this.sources.delete(source); // re-inserted below: the Map's order is least recently seen first
      this.sources.set(source, seen);
      if (now - seen.loggedAt < this.limits.windowMs) {
        seen.suppressed++;
        return null;
      }
    }
    if (now - this.windowStart >= this.limits.windowMs) {
      this.windowStart = now;
      this.linesInWindow = 0;
    }
    if (this.linesInWindow >= this.limits.maxLinesPerWindow) {
      this.heldBackElsewhere++;
      return null;
    }
    this.linesInWindow++;
    const admitted: Admitted = { suppressed: seen?.suppressed ?? 0 };
    if (this.heldBackElsewhere > 0) {
      admitted.suppressedElsewhere = this.heldBackElsewhere;
      this.heldBackElsewhere = 0;
    }
    this.remember(source, { loggedAt: now, suppressed: 0 });
    return admitted;
  }

  private remember(source: string, seen: Seen): void {
    this.sources.delete(source);
    this.sources.set(source, seen);
    while (this.sources.size > this.limits.maxSources) {
      const [oldest, forgotten] = this.sources.entries().next().value as [string, Seen];
      this.heldBackElsewhere += forgotten.suppressed;
      this.sources.delete(oldest);
    }
  }
}

/**
 * Who sent a request, as the limiter keys it: the connection's peer address on Node, the address Cloudflare saw on
 * Workers. Forwarded-for headers are not read: the sender writes them (no trusted proxy is configured). An IPv6
 * sender is keyed by its /64, which one host can fill with addresses.
 */
export function requestSource(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const address = env?.incoming?.socket?.remoteAddress ?? c.req.header('cf-connecting-ip');
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (mapped && parseIpv4(mapped) !== null) return mapped;
  const v6 = parseIpv6(address);
  if (v6)
    return `${v6
      .slice(0, 4)
      .map((g) => g.toString(16))
      .join(':')}::/64`;
  return address;
}
