import fc from 'fast-check';
import { fuzzTargets } from '../test/fuzz/properties.ts';

/**
 * The long fuzzing run: the properties `npm test` runs 2,000 times each, here with FUZZ_RUNS cases in all (1,000,000
 * by default) shared by weight, and a random seed printed first so a failure replays with FUZZ_SEED=<seed>.
 */
const total = Number(process.env.FUZZ_RUNS ?? 1_000_000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const only = process.env.FUZZ_ONLY?.toLowerCase();
const targets = fuzzTargets.filter((t) => !only || t.name.toLowerCase().includes(only));
const weights = targets.reduce((sum, t) => sum + t.weight, 0);

console.log(
  `fuzzing ${targets.length} targets, ${total.toLocaleString('en')} cases, seed ${seed} (replay: FUZZ_SEED=${seed})`,
);
let cases = 0;
let failures = 0;
const started = performance.now();
for (const target of targets) {
  const numRuns = Math.max(1, Math.ceil((total * target.weight) / weights));
  const t0 = performance.now();
  const details = await fc.check(target.property(), { seed, numRuns });
  const seconds = (performance.now() - t0) / 1000;
  cases += details.numRuns;
  const rate = Math.round(details.numRuns / seconds).toLocaleString('en');
  console.log(
    `${details.failed ? 'FAIL' : 'ok  '} ${target.name}: ${details.numRuns.toLocaleString('en')} cases in ${seconds.toFixed(1)} s (${rate}/s)`,
  );
  if (details.failed) {
    failures++;
    console.log(
      `  counterexample: ${fc.stringify(details.counterexample)}\n  path: ${details.counterexamplePath}`,
    );
    console.log(
      `  ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
    );
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `${cases.toLocaleString('en')} cases in ${seconds.toFixed(0)} s, ${failures} failing target(s), seed ${seed}`,
);
process.exitCode = failures > 0 ? 1 : 0;
