import { performance } from 'node:perf_hooks';
import { nextTurn } from '../lib/next-turn.ts';

const WINDOW_MS = 50;

/**
 * Paces background processing so webhook acknowledgements come first: while requests are arriving and the event
 * loop is saturated, processing takes one event per `backoffMs`; otherwise it runs flat out, yielding between events.
 * Platforms retry (and duplicate) what they cannot get acknowledged in time; processing can catch up after a burst.
 */
export function ingestFirstPacer(
  requestsSeen: () => number,
  acksWaiting: () => boolean,
  threshold = 0.85,
  backoffMs = 5,
): () => Promise<void> {
  let lastElu = performance.eventLoopUtilization();
  let lastAt = performance.now();
  let lastRequests = requestsSeen();
  let saturated = false;
  return async () => {
    const now = performance.now();
    if (now - lastAt >= WINDOW_MS) {
      const elu = performance.eventLoopUtilization();
      const requests = requestsSeen();
      saturated =
        requests > lastRequests && performance.eventLoopUtilization(elu, lastElu).utilization > threshold;
      lastElu = elu;
      lastAt = now;
      lastRequests = requests;
    }
    await (saturated ? new Promise((resolve) => setTimeout(resolve, backoffMs)) : nextTurn());
    // Requests waiting for their group commit go first; an event costs more than a whole batch of them.
    for (let i = 0; i < 3 && acksWaiting(); i++) await nextTurn();
  };
}
