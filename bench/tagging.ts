// Rule-tagging throughput: the labeled messages replayed (default 200k) through compile-once `tagText`, against a
// reference measured in the same run (a naive lower-case + `includes` loop over every literal term of the rules).
// Run alone: `npx tsx bench/tagging.ts`. Exit code 1 when below the target.
import { DEFAULT_RULE_SET } from '../src/core/kernel/tagging/default-rules.ts';
import { compileRules, tagText, validateRuleSet } from '../src/core/kernel/tagging/rules.ts';
import { HOLDOUT_MESSAGES, LABELED_MESSAGES } from '../test/tagging/labeled-messages.ts';

const MESSAGES = Number(process.env.BENCH_TAGGING_MESSAGES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_TAGGING_ROUNDS ?? 3);
const TARGET_PER_SECOND = 200_000;

interface Run {
  perSecond: number;
  microseconds: number;
  found: number;
}

/** The best of a few rounds over the replayed messages (the first rounds also warm the JIT up). */
function measure(texts: string[], tag: (text: string) => number): Run {
  let best = Number.POSITIVE_INFINITY;
  let found = 0;
  for (let round = 0; round < ROUNDS; round++) {
    found = 0;
    const started = performance.now();
    for (const text of texts) found += tag(text);
    best = Math.min(best, performance.now() - started);
  }
  return { perSecond: (texts.length / best) * 1000, microseconds: (best * 1000) / texts.length, found };
}

export function benchTagging(): boolean {
  const corpus = [...LABELED_MESSAGES, ...HOLDOUT_MESSAGES].map((m) => m.text);
  const texts = Array.from({ length: MESSAGES }, (_, i) => corpus[i % corpus.length]!);
  const compileStarted = performance.now();
  const compiled = compileRules(validateRuleSet(DEFAULT_RULE_SET));
  const compileMs = performance.now() - compileStarted;

  const terms = DEFAULT_RULE_SET.rules.flatMap((r) => [...(r.keywords ?? []), ...(r.phrases ?? [])]);
  const reference = measure(texts, (text) => {
    const lower = text.toLowerCase();
    let n = 0;
    for (const term of terms) if (lower.includes(term)) n++;
    return n;
  });
  const rules = measure(texts, (text) => tagText(compiled, text).length);
  // Worst case: the longest text tagged, dense with single-character keywords that need word segmentation.
  const long = '这个贵不贵，退一下，急！'.repeat(200);
  const worst = measure(
    Array.from({ length: 2_000 }, (_, i) => `${i}${long}`),
    (text) => tagText(compiled, text).length,
  );

  const row = (name: string, r: Run) =>
    `  ${name.padEnd(48)} ${Math.round(r.perSecond).toLocaleString('en').padStart(10)} msg/s  ${r.microseconds.toFixed(2).padStart(6)} µs/msg`;
  console.log(
    `Rule tagging, ${texts.length.toLocaleString('en')} messages (${corpus.length} distinct, replayed), best of ${ROUNDS}; Node ${process.version}`,
  );
  console.log(
    `  compiled ${DEFAULT_RULE_SET.rules.length} rules, ${terms.length} terms in ${compileMs.toFixed(1)} ms`,
  );
  console.log(row(`reference: lower-case + includes() x ${terms.length} terms`, reference));
  console.log(row('Liaison tagText (normalize, match, segment, negate)', rules));
  console.log(row(`worst case: ${long.length.toLocaleString('en')}-char messages of 贵/退/急`, worst));
  console.log(
    `  ratio to reference ${(rules.perSecond / reference.perSecond).toFixed(2)}; ${rules.found} tags given`,
  );
  const pass = rules.perSecond >= TARGET_PER_SECOND;
  console.log(
    `Rule tagging throughput ${Math.round(rules.perSecond).toLocaleString('en')} msg/s   target >= ${TARGET_PER_SECOND.toLocaleString('en')}   ${pass ? 'PASS' : 'FAIL'}`,
  );
  return pass;
}

if (import.meta.url === `file://${process.argv[1]}` && !benchTagging()) process.exitCode = 1;
