// `npm run eval`: the shipped tag rules scored on the evaluation set (test/fixtures/intelligence-eval/): per-tag
// precision/recall/F1 with 95% Wilson intervals, alert precision/recall and owner pings per 100 messages, on the
// held-out third (frozen before the rules changed) and on the rest. `--json <file>` also writes the figures;
// `--split training` scores only the training part (what rules are tuned on), `--split held-out` only the held-out.
import { writeFileSync } from 'node:fs';
import { alertPlan, ownerPingsOf } from '../src/core/kernel/tagging/alert-policy.ts';
import { DEFAULT_RULE_SET } from '../src/core/kernel/tagging/default-rules.ts';
import { compileRules, tagText, validateRuleSet } from '../src/core/kernel/tagging/rules.ts';
import { type EvalMessage, loadEvalSet } from './eval/data.ts';
import { formatRate } from './eval/metrics.ts';
import { type Prediction, type Score, score } from './eval/score.ts';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const splitAt = args.indexOf('--split');
const split = splitAt >= 0 ? args[splitAt + 1] : 'all';
const unknown = args.filter(
  (a, i) =>
    a !== '--json' &&
    a !== '--split' &&
    (jsonAt < 0 || i !== jsonAt + 1) &&
    (splitAt < 0 || i !== splitAt + 1),
);
if (
  unknown.length > 0 ||
  (jsonAt >= 0 && !args[jsonAt + 1]) ||
  !['all', 'training', 'held-out'].includes(split ?? '')
) {
  console.error('usage: npm run eval [-- --json <file>] [--split all|training|held-out]');
  process.exit(2);
}

const rules = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const byRules = (m: EvalMessage): Prediction => {
  const hits = tagText(rules, m.text);
  // As owners get them: one alert naming every at-once cause, a do-not-contact proposal; hot leads wait for a batch.
  return {
    tags: new Set(hits.map((h) => h.tag)),
    atOnce: alertPlan(hits).atOnce.length,
    pings: ownerPingsOf(hits),
  };
};

const set = loadEvalSet();
const parts: Array<[string, EvalMessage[]]> = [
  ['held-out (all)', set.filter((m) => m.heldOut)],
  ['held-out zh', set.filter((m) => m.heldOut && m.lang === 'zh')],
  ['held-out en', set.filter((m) => m.heldOut && m.lang === 'en')],
  ['training (all)', set.filter((m) => !m.heldOut)],
  ['training zh', set.filter((m) => !m.heldOut && m.lang === 'zh')],
  ['training en', set.filter((m) => !m.heldOut && m.lang === 'en')],
].filter(([name]) => split === 'all' || (name as string).startsWith(split!)) as Array<
  [string, EvalMessage[]]
>;
const results = Object.fromEntries(parts.map(([name, messages]) => [name, score(messages, byRules)]));

for (const [name, s] of Object.entries(results)) print(name, s);
if (jsonAt >= 0) writeFileSync(args[jsonAt + 1]!, `${JSON.stringify(results, null, 2)}\n`);

function print(name: string, s: Score): void {
  console.log(`\n== rules on ${name}: ${s.messages} messages ==`);
  console.log('tag        label               n   precision [95%]    recall [95%]       F1');
  for (const t of s.tags) {
    console.log(
      `${t.tag.padEnd(6, '　')} ${t.label.padEnd(18)} ${String(t.support).padStart(4)}   ${formatRate(t.precision)}  ${formatRate(t.recall)}  ${t.f1.toFixed(2)}`,
    );
  }
  console.log(
    `micro: precision ${formatRate(s.micro.precision)}, recall ${formatRate(s.micro.recall)}, F1 ${s.micro.f1.toFixed(2)}`,
  );
  console.log(
    `macro (tags with examples): precision ${s.macro.precision.toFixed(2)}, recall ${s.macro.recall.toFixed(2)}, F1 ${s.macro.f1.toFixed(2)}; exactly right: ${(s.exactShare * 100).toFixed(0)}%`,
  );
  console.log(
    `alerts at once: precision ${formatRate(s.alerts.precision)}, recall ${formatRate(s.alerts.recall)}; owner pings per 100 messages: ${s.pingsPer100.toFixed(1)}`,
  );
}
