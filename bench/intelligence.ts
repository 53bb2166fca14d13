// Rule quality floors: `npm run eval -- --split held-out` (the held-out thirds of test/fixtures/intelligence-eval/,
// each frozen before rules were written from its batch) must not fall below the figures the shipped rules reached. Run alone:
// `npx tsx bench/intelligence.ts`; in the suite: BENCH_ONLY=intelligence. Exit code 1 below a floor.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The held-out figures the shipped rules reached, rounded down (issue 25 goals: 0.9 / 0.7, alerts 0.9 recall at 0.8). */
// Reached 2026-12-05: macro P 0.754 R 0.562, alerts P 0.793 R 0.596, 23.3 owner pings per 100 with one alert per message (the goals are not met yet).
// Rules v2.1 (2026-12-06): macro P 0.748 R 0.640, alerts P 0.804 R 0.716, 27.3 pings per 100. Pings rise with alert
// recall: 29 of 100 held-out messages are alert-worthy (and about 5 of 100 ask for do-not-contact), so ≤ 15 cannot coexist with
// alert recall ≥ 0.9 on this set (the ceiling guards against pings that bring no recall).
// Rules v2.2 (2026-12-06): macro P 0.763 R 0.673, alerts P 0.800 R 0.771, 29.5 pings per 100 (training: 0.94 / 0.95).
// Rules v2.3 (2026-12-06): macro P 0.777 R 0.679, alerts P 0.808 R 0.771, 29.2 pings per 100 (training: 0.95 / 0.96).
// 2026-12-07: four more writers' batches, each with a held-out third; the floors are on all 1,358 held-out messages.
// There v2.3 has macro P 0.79 R 0.65, alerts P 0.81 R 0.74, 28.8 pings per 100 (33.5 with every label found);
// Rules v2.4 macro P 0.82 R 0.71, alerts P 0.83 R 0.76, 28.6 pings per 100.
// 2026-12-07: four more batches (an ordinary week, problems in the customer's words, two fair samples); 2,282 held out.
// There v2.4 has macro P 0.82 R 0.71, alerts P 0.83 R 0.75, 26.8 pings per 100 (31.6 with every label found);
// Rules v2.5 macro P 0.835 R 0.734, alerts P 0.85 R 0.76, 26.8 pings per 100.
// 2026-12-07: a tenth batch (the weakest labels in the customer's own words); 2,519 held out. There v2.5 has macro
// P 0.837 R 0.722, alerts P 0.855 R 0.756, 27.3 pings (32.4 with every label found; 3.8 needless);
// Rules v2.6 macro P 0.839 R 0.742, alerts P 0.856 R 0.782, 28.1 pings (3.9 needless).
// 2026-12-07: an eleventh batch (near-misses: half look-alikes); 2,747 held out. There v2.6 has macro P 0.824 R 0.745,
// alerts P 0.834 R 0.784, 27.7 pings (4.4 needless); rules v2.7 macro P 0.829 R 0.744, alerts P 0.839 R 0.784,
// 27.6 pings (4.3 needless).
// 2026-12-07: a twelfth batch (customers mid-relationship, several things in one message); 2,982 held out. There v2.7
// has macro P 0.827 R 0.735, alerts P 0.839 R 0.772, 27.4 pings (4.2 needless); rules v2.8 macro P 0.829 R 0.745,
// alerts P 0.836 R 0.784, 27.9 pings (31.3 with every label found; 4.4 needless).
// 2026-12-07: a thirteenth batch (what an owner must hear at once, and look-alikes; 56% carry an alert label); 3,213
// held out. There v2.8 has macro P 0.820 R 0.736, alerts P 0.828 R 0.771, 29.3 pings (32.9 with every label found;
// 4.8 needless); rules v2.9 macro P 0.821 R 0.743, alerts P 0.831 R 0.790, 29.9 pings (4.9 needless). The pings
// ceiling follows the set's share of alert-worthy messages (every label found: 31.3 -> 32.9 per 100).
const FLOORS = {
  macroPrecision: 0.82,
  macroRecall: 0.74,
  alertPrecision: 0.83,
  alertRecall: 0.79,
  /** A ceiling: owner pings per 100 held-out messages, rounded up (they rise with alert recall). */
  maxPingsPer100: 30,
  /** A ceiling: pings per 100 whose cause the message does not carry, rounded up (what costs an owner's trust). */
  maxNeedlessPingsPer100: 5,
};

interface Figures {
  macro: { precision: number; recall: number };
  alerts: { precision: { value: number }; recall: { value: number } };
  pingsPer100: number;
  needlessPingsPer100: number;
}

export function benchIntelligence(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-eval-'));
  try {
    const out = join(dir, 'eval.json');
    execFileSync('npx', ['tsx', 'scripts/eval.ts', '--split', 'held-out', '--json', out], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const s = (JSON.parse(readFileSync(out, 'utf8')) as Record<string, Figures>)['held-out (all)']!;
    const rows: Array<[string, number, number, boolean]> = [
      [
        'macro precision',
        s.macro.precision,
        FLOORS.macroPrecision,
        s.macro.precision >= FLOORS.macroPrecision,
      ],
      ['macro recall', s.macro.recall, FLOORS.macroRecall, s.macro.recall >= FLOORS.macroRecall],
      [
        'alert precision',
        s.alerts.precision.value,
        FLOORS.alertPrecision,
        s.alerts.precision.value >= FLOORS.alertPrecision,
      ],
      [
        'alert recall',
        s.alerts.recall.value,
        FLOORS.alertRecall,
        s.alerts.recall.value >= FLOORS.alertRecall,
      ],
      [
        'owner pings / 100 (ceiling)',
        s.pingsPer100,
        FLOORS.maxPingsPer100,
        s.pingsPer100 <= FLOORS.maxPingsPer100,
      ],
      [
        'needless pings / 100 (ceiling)',
        s.needlessPingsPer100,
        FLOORS.maxNeedlessPingsPer100,
        s.needlessPingsPer100 <= FLOORS.maxNeedlessPingsPer100,
      ],
    ];
    console.log('Rule quality on the held-out thirds (npm run eval -- --split held-out)');
    for (const [name, value, floor, ok] of rows)
      console.log(
        `  ${name.padEnd(31)} ${value.toFixed(2).padStart(6)}   limit ${floor.toFixed(2)}   ${ok ? 'PASS' : 'FAIL'}`,
      );
    return rows.every(([, , , ok]) => ok);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` && !benchIntelligence()) process.exitCode = 1;
