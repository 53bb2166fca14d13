import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fuzzTargets } from './properties.ts';

/** Fixed, so `npm test` is repeatable; `npm run fuzz` runs the same properties with a random seed and 1M+ cases. */
const SEED = 20261130;
const RUNS = 2_000;

describe('fuzzing every decoder (seeded short run)', () => {
  for (const target of fuzzTargets) {
    it(`${target.name}`, async () => {
      await fc.assert(target.property(), { seed: SEED, numRuns: target.weight <= 2 ? RUNS / 4 : RUNS });
    }, 60_000);
  }
});
