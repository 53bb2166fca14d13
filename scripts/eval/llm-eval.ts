import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { autoTagExamplesV1 } from '../../prompts/index.ts';
import { alertPlan, ownerPingsOf } from '../../src/core/kernel/tagging/alert-policy.ts';
import { type CompiledRules, tagText } from '../../src/core/kernel/tagging/rules.ts';
import { combineReadings, modelHits } from '../../src/core/reading/intelligence/llm-tag-request.ts';
import type { EvalMessage } from './data.ts';
import { llmFromEnv, type ModelRun, runModel } from './llm.ts';
import { scoreLines } from './print.ts';
import { type Prediction, type Score, score } from './score.ts';

export interface LlmEvalOptions {
  rules: CompiledRules;
  parts: Array<[string, EvalMessage[]]>;
  env: Record<string, string | undefined>;
  cacheFile: string;
  /** The folder for the dated report, or null for none. */
  report: string | null;
  json: string | null;
  split: string;
}

const TAGGERS = ['rules', 'model', 'rules+model'] as const;

/**
 * Scores rules alone, the model alone and both combined (`combineReadings`, as the app applies them) on each part;
 * prints the tables and, when asked, writes docs/reports/<date>-llm-eval.md. Exits 1 without a configured model.
 */
export async function runLlmEval(o: LlmEvalOptions): Promise<number> {
  const llm = llmFromEnv(o.env);
  if (!llm) {
    console.error(
      'npm run eval -- --llm needs a model: set OPENAI_API_KEY (and OPENAI_BASE_URL, OPENAI_MODEL) as for the app.',
    );
    return 1;
  }
  const messages = [...new Map(o.parts.flatMap(([, ms]) => ms.map((m) => [m.id, m]))).values()];
  const run = await runModel(llm, messages, o.rules.tags, o.cacheFile);
  console.log(
    `model ${run.model}, prompt ${run.promptVersion} with ${autoTagExamplesV1.examples.length} examples (${autoTagExamplesV1.version}): ` +
      `${messages.length} messages, ${run.requests} requests sent, ${run.cached} answers from the cache (${o.cacheFile}), ${run.failed} without a usable answer`,
  );
  const results: Record<string, Record<(typeof TAGGERS)[number], Score>> = {};
  for (const [name, ms] of o.parts) {
    results[name] = {
      rules: score(ms, (m) => byRules(o.rules, m)),
      model: score(ms, (m) => byModel(o.rules, run, m)),
      'rules+model': score(ms, (m) => combined(o.rules, run, m)),
    };
  }
  const tables = Object.entries(results).flatMap(([name, r]) =>
    TAGGERS.map((t) => scoreLines(`${t} on ${name}`, r[t]).join('\n')),
  );
  for (const table of tables) console.log(`\n${table}`);
  console.log(`\n${summaryLines(results).join('\n')}`);
  if (o.json) writeFileSync(o.json, `${JSON.stringify(results, null, 2)}\n`);
  if (o.report) {
    mkdirSync(o.report, { recursive: true });
    const file = join(o.report, `${new Date().toISOString().slice(0, 10)}-llm-eval.md`);
    writeFileSync(file, reportText(run, o, results, tables));
    console.log(`\nwrote ${file}`);
  }
  return 0;
}

function byRules(rules: CompiledRules, m: EvalMessage): Prediction {
  const hits = tagText(rules, m.text);
  return {
    tags: new Set(hits.map((h) => h.tag)),
    atOnce: alertPlan(hits).atOnce.length,
    pings: ownerPingsOf(hits),
  };
}

function byModel(rules: CompiledRules, run: ModelRun, m: EvalMessage): Prediction {
  const reading = run.readings.get(m.id);
  if (!reading) return { tags: new Set(), atOnce: 0, pings: 0 };
  const hits = modelHits(reading, rules);
  return { tags: new Set(reading.tags), atOnce: alertPlan(hits).atOnce.length, pings: ownerPingsOf(hits) };
}

function combined(rules: CompiledRules, run: ModelRun, m: EvalMessage): Prediction {
  const c = combineReadings(tagText(rules, m.text), run.readings.get(m.id) ?? null, rules);
  return { tags: c.tags, atOnce: c.atOnce.length, pings: c.pings };
}

function summaryLines(results: Record<string, Record<(typeof TAGGERS)[number], Score>>): string[] {
  return [
    'part             tagger        micro P  micro R  micro F1  macro F1  alert P  alert R  pings/100',
    ...Object.entries(results).flatMap(([name, r]) =>
      TAGGERS.map((t) => {
        const s = r[t];
        const f = (x: number) => (Number.isNaN(x) ? '   — ' : x.toFixed(2)).padStart(7);
        return `${name.padEnd(16)} ${t.padEnd(12)} ${f(s.micro.precision.value)}  ${f(s.micro.recall.value)}  ${f(s.micro.f1)}   ${f(s.macro.f1)}  ${f(s.alerts.precision.value)}  ${f(s.alerts.recall.value)}  ${s.pingsPer100.toFixed(1).padStart(8)}`;
      }),
    ),
  ];
}

function reportText(
  run: ModelRun,
  o: LlmEvalOptions,
  results: Record<string, Record<(typeof TAGGERS)[number], Score>>,
  tables: string[],
): string {
  const date = new Date().toISOString().slice(0, 10);
  return `# LLM auto-tagging evaluation, ${date}

- Command: \`npm run eval -- --llm --report\` (split: ${o.split}).
- Model: \`${run.model}\` at the configured OPENAI_BASE_URL.
- Prompt: \`${run.promptVersion}\` with ${autoTagExamplesV1.examples.length} labeled examples (\`prompts/${autoTagExamplesV1.version}.json\`, training part only).
- Calls: ${run.requests} requests sent, ${run.cached} answers from the cache, ${run.failed} messages without a usable
  answer (scored as no tags).

**Which model answered matters.** These figures are only as real as the endpoint that produced them: a run
against the test suite's fake server (\`test/helpers/fake-openai.ts\`) measures the scoring path, not a model;
a model that was not reachable was not measured, and no figure here stands for one.

- **rules**: the shipped rule set alone (what \`npm run eval\` prints).
- **model**: the model's allowlisted tags alone; its alerts from its intent, sentiment and the signals of its tags.
- **rules+model**: as the app combines them when an LLM is configured (\`combineReadings\` in
  \`src/core/reading/intelligence/llm-tag-request.ts\`): the rules' tags with the model's added, alerts from either,
  the model's alert naming only causes the rules did not raise.

## Summary

\`\`\`
${summaryLines(results).join('\n')}
\`\`\`

## Per tag (precision and recall with 95% Wilson intervals)

\`\`\`
${tables.join('\n\n')}
\`\`\`
`;
}
