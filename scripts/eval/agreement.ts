// Agreement between two labelers of the same messages, per label (Cohen's kappa), and the disputed ids:
// `tsx scripts/eval/agreement.ts <labels-a.jsonl> <labels-b.jsonl>` (paths relative to the evaluation set).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVAL_DIR, GOLD_LABELS } from './data.ts';

type Labels = Map<string, Set<string>>;
const read = (file: string): Labels =>
  new Map(
    readFileSync(join(EVAL_DIR, file), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { id: string; labels: string[] })
      .map((l) => [l.id, new Set(l.labels)]),
  );

const [fileA, fileB] = process.argv.slice(2);
if (!fileA || !fileB) {
  console.error('usage: tsx scripts/eval/agreement.ts <labels-a.jsonl> <labels-b.jsonl>');
  process.exit(2);
}
const a = read(fileA);
const b = read(fileB);
const ids = [...a.keys()].filter((id) => b.has(id));
console.log(`| Label | Both yes | Only A | Only B | Both no | Observed agreement | Cohen's kappa |`);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const kappas: number[] = [];
for (const label of GOLD_LABELS) {
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const id of ids) {
    const inA = a.get(id)?.has(label) ?? false;
    const inB = b.get(id)?.has(label) ?? false;
    if (inA && inB) both++;
    else if (inA) onlyA++;
    else if (inB) onlyB++;
  }
  const n = ids.length;
  const observed = (n - onlyA - onlyB) / n;
  const yesA = (both + onlyA) / n;
  const yesB = (both + onlyB) / n;
  const expected = yesA * yesB + (1 - yesA) * (1 - yesB);
  const kappa = expected === 1 ? 1 : (observed - expected) / (1 - expected);
  kappas.push(kappa);
  const row = [both, onlyA, onlyB, n - both - onlyA - onlyB, observed.toFixed(3), kappa.toFixed(3)];
  console.log(`| \`${label}\` | ${row.join(' | ')} |`);
}
const disputed = ids.filter((id) => {
  const x = a.get(id) as Set<string>;
  const y = b.get(id) as Set<string>;
  return x.size !== y.size || [...x].some((l) => !y.has(l));
});
const same = ids.length - disputed.length;
console.log(`\nIdentical label sets: ${same} / ${ids.length} = ${((100 * same) / ids.length).toFixed(1)}%`);
console.log(`Mean kappa over the labels: ${(kappas.reduce((s, k) => s + k, 0) / kappas.length).toFixed(3)}`);
console.log(`Disputed (${disputed.length}): ${disputed.join(' ')}`);
