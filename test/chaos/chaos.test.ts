import { describe, expect, it } from 'vitest';
import { serverDialectsUnderTest } from '../helpers/databases.ts';
import { formatFigures, runChaos, SEND_LANES } from './chaos-run.ts';

const DELIVERIES = Number(process.env.CHAOS_TEST_DELIVERIES ?? 2_000);
const KILLS = 2;
// The short run stays on SQLite (fast, in every checkout); `npm run chaos` also runs PostgreSQL when it is set up.
const sqlite = serverDialectsUnderTest().find((d) => d.name === 'sqlite');
if (!sqlite) console.warn('Chaos test skipped: it runs on SQLite, which TEST_DIALECTS left out.');

/** Deliveries from three platforms, re-sent and concurrent, through kills, a busy database and failing APIs. */
(sqlite ? describe : describe.skip)('chaos: kills, a busy database and failing APIs', () => {
  it(`loses no acknowledged event and sends nothing twice across ${DELIVERIES} deliveries`, async () => {
    const f = await runChaos({
      deliveries: DELIVERIES,
      kills: KILLS,
      dialect: sqlite as NonNullable<typeof sqlite>,
      drainLimitMs: 60_000,
      // A failing run prints its seed: CHAOS_SEED=<seed> repeats its plan and faults.
      ...(process.env.CHAOS_SEED ? { seed: Number(process.env.CHAOS_SEED) } : {}),
    });
    console.info(formatFigures(f));
    expect(f.acknowledged).toBe(f.deliveries);
    expect(f.kills).toBe(KILLS);
    expect(f.drained).toBe(true);
    expect({ inbox: f.inbox, processed: f.processed, failed: f.failedInbox }).toEqual({
      inbox: f.unique,
      processed: f.unique,
      failed: 0,
    });
    expect(f.duplicateMessages).toBe(0);
    expect({
      unanswered: f.unanswered,
      duplicateSends: f.duplicateSends,
      failedSends: f.failedOutbox,
    }).toEqual({
      unanswered: 0,
      duplicateSends: 0,
      failedSends: 0,
    });
    expect(f.repeatedSendsAfterKill).toBeLessThanOrEqual(f.kills * SEND_LANES);
  }, 150_000);
});
