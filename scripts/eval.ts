// `npm run eval`: the shipped tag rules scored on the evaluation set (test/fixtures/intelligence-eval/): per-tag
// precision/recall/F1 with 95% Wilson intervals, alert precision/recall and owner pings per 100 messages, on the
// held-out thirds (each frozen before the rules changed for its batch) and on the rest. `--json <file>` also writes the figures;
// `--split training` scores only the training part (what rules are tuned on), `--split held-out` only the held-out.
// `--llm` scores rules alone, the model alone and both combined as the app combines them (scripts/eval/llm-eval.ts).
import { writeFileSync } from 'node:fs';
import { alertPlan, ownerPingsOf } from '../src/core/kernel/tagging/alert-policy.ts';
import { DEFAULT_RULE_SET } from '../src/core/kernel/tagging/default-rules.ts';
import { compileRules, tagText, validateRuleSet } from '../src/core/kernel/tagging/rules.ts';
import { type EvalMessage, loadEvalSet } from './eval/data.ts';
import { DEFAULT_CACHE } from './eval/llm.ts';
import { runLlmEval } from './eval/llm-eval.ts';
import { scoreLines } from './eval/print.ts';
import { type Prediction, score } from './eval/score.ts';

const USAGE =
  'usage: npm run eval [-- --json <file>] [--split all|training|held-out]\n' +
  '       npm run eval -- --llm [--split …] [--cache <file>] [--report [--report-dir <dir>]] [--json <file>]';
const WITH_VALUE = new Set(['--json', '--split', '--cache', '--report-dir']);
const FLAGS = new Set(['--llm', '--report']);

const args = process.argv.slice(2);
const opts = new Map<string, string>();
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  const value = args[i + 1];
  if (WITH_VALUE.has(a) && value !== undefined && !value.startsWith('--')) opts.set(a, args[++i] as string);
  else if (FLAGS.has(a)) opts.set(a, '');
  else fail();
}
const llmMode = opts.has('--llm');
const split = opts.get('--split') ?? (llmMode ? 'held-out' : 'all');
if (!['all', 'training', 'held-out'].includes(split)) fail();
if (!llmMode && (opts.has('--report') || opts.has('--cache') || opts.has('--report-dir'))) fail();

function fail(): never {
  console.error(USAGE);
  process.exit(2);
}

const rules = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const set = loadEvalSet();
const ORDINALS = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
];
const batches = [...new Set(set.map((m) => m.batch))].sort((a, b) => a - b);
const writers = (batch: number) => `${ORDINALS[batch - 1] ?? `batch ${batch}`} writers`;
const byBatch = (heldOut: boolean, batch: number): [string, EvalMessage[]] => [
  `${heldOut ? 'held-out' : 'training'}, ${writers(batch)}`,
  set.filter((m) => m.heldOut === heldOut && m.batch === batch),
];
const parts: Array<[string, EvalMessage[]]> = (
  [
    ['held-out (all)', set.filter((m) => m.heldOut)],
    ['held-out zh', set.filter((m) => m.heldOut && m.lang === 'zh')],
    ['held-out en', set.filter((m) => m.heldOut && m.lang === 'en')],
    ...batches.map((b) => byBatch(true, b)),
    ['training (all)', set.filter((m) => !m.heldOut)],
    ['training zh', set.filter((m) => !m.heldOut && m.lang === 'zh')],
    ['training en', set.filter((m) => !m.heldOut && m.lang === 'en')],
    // The later batches' training parts one by one: each was scored before rules were written from it.
    ...batches.filter((b) => b > 1).map((b) => byBatch(false, b)),
  ] as Array<[string, EvalMessage[]]>
).filter(([name]) => split === 'all' || name.startsWith(split));

if (llmMode) {
  const code = await runLlmEval({
    rules,
    parts,
    env: process.env,
    cacheFile: opts.get('--cache') ?? DEFAULT_CACHE,
    report: opts.has('--report') ? (opts.get('--report-dir') ?? 'docs/reports') : null,
    json: opts.get('--json') ?? null,
    split,
  });
  process.exit(code);
}

const byRules = (m: EvalMessage): Prediction => {
  const hits = tagText(rules, m.text);
  // As owners get them: one alert naming every at-once cause, a do-not-contact proposal; hot leads wait for a batch.
  return {
    tags: new Set(hits.map((h) => h.tag)),
    atOnce: alertPlan(hits).atOnce.length,
    pings: ownerPingsOf(hits),
  };
};
const results = Object.fromEntries(parts.map(([name, messages]) => [name, score(messages, byRules)]));
for (const [name, s] of Object.entries(results))
  console.log(`\n${scoreLines(`rules on ${name}`, s).join('\n')}`);
const jsonFile = opts.get('--json');
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
