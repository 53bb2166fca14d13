import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoTagExamplesV1, autoTagV3, replyDraftV1 } from '../../prompts/index.ts';
import { type EvalMessage, loadEvalSet, TAG_OF } from '../../scripts/eval/data.ts';
import { EXAMPLES_FILE, examplesFile } from '../../scripts/eval/examples.ts';
import type { Score } from '../../scripts/eval/score.ts';
import { DEFAULT_RULE_SET } from '../../src/core/kernel/tagging/default-rules.ts';
import { compileRules, tagText, validateRuleSet } from '../../src/core/kernel/tagging/rules.ts';
import { burstTranscript } from '../../src/core/reading/intelligence/llm-tag-request.ts';
import { type CompletionRequest, FakeOpenAi } from '../helpers/fake-openai.ts';

const ROOT = join(import.meta.dirname, '../..');

/** `npm run eval -- <args>` as a person runs it, in its own process. */
function evalCommand(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const { OPENAI_API_KEY: _, ...rest } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', ...args], {
      cwd: ROOT,
      env: { ...rest, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const set = loadEvalSet();
const heldOut = set.filter((m) => m.heldOut);
/** Answers are cached by message text, so a text held out twice (在吗在吗 in two batches) is asked once. */
const distinctTexts = new Set(heldOut.map((m) => m.text)).size;
const rules = compileRules(validateRuleSet(DEFAULT_RULE_SET));
const goldTags = (m: EvalMessage) => m.labels.flatMap((l) => (TAG_OF[l] ? [TAG_OF[l] as string] : []));
/** Held-out messages whose gold tags the rules miss in part: the fake answers right on every other one of them. */
const missed = heldOut.filter((m) => {
  const got = new Set(tagText(rules, m.text).map((h) => h.tag));
  return goldTags(m).some((t) => !got.has(t));
});
const rightOn = new Set(missed.filter((_, i) => i % 2 === 0).map((m) => m.id));
const byTranscript = new Map(set.map((m) => [burstTranscript([m.text]), m]));

/** The constructed model: the gold tags on half the messages the rules miss, no tag anywhere else. */
function answer(req: CompletionRequest) {
  const user = req.messages.find((m) => m.role === 'user')?.content ?? '';
  const transcript = user.split('\n').slice(1, -1).join('\n');
  const m = byTranscript.get(transcript);
  const tags = m && rightOn.has(m.id) ? goldTags(m) : [];
  return {
    text: JSON.stringify({ tags, intent: 'other', sentiment: 'neutral', stage: null, summary: '' }),
  };
}

describe('npm run eval -- --llm', () => {
  let fake: FakeOpenAi;
  let dir: string;
  beforeAll(async () => {
    fake = await new FakeOpenAi().start();
    fake.respond = answer;
    dir = mkdtempSync(join(tmpdir(), 'llm-eval-'));
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says a model is needed and exits non-zero when none is configured', async () => {
    const run = await evalCommand(['--llm', '--cache', join(dir, 'none.json')]);
    expect(run.code).not.toBe(0);
    expect(run.err).toContain('set OPENAI_API_KEY');
    expect(existsSync(join(dir, 'none.json'))).toBe(false);
  });

  it('scores rules, model and both on the held-out third, caches every answer and writes the dated report', async () => {
    const env = { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'fake-model' };
    const args = ['--llm', '--cache', join(dir, 'cache.json'), '--json', join(dir, 'scores.json')];
    const first = await evalCommand([...args, '--report', '--report-dir', join(dir, 'reports')], env);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    // One request per distinct held-out text, the app's own prompt with its examples, nothing from the held-out
    // third in the instructions.
    expect(fake.requests).toHaveLength(distinctTexts);
    expect(first.out).toContain(
      `${distinctTexts} requests sent, ${heldOut.length - distinctTexts} answers from the cache`,
    );
    const system = fake.requests[0]?.messages[0]?.content ?? '';
    expect(system).toContain('You label a customer');
    expect(system).toContain('Labeled examples follow');
    const fence = /between <(DATA-[0-9a-f]{16})> and/.exec(system)?.[1];
    const examples = system.split(`<${fence}>\n`)[1]?.split(`\n</${fence}>`)[0] ?? '';
    for (const e of autoTagExamplesV1.examples) expect(examples).toContain(e.text);
    for (const m of heldOut.filter((x) => x.text.length >= 12)) expect(system).not.toContain(m.text);
    expect(fake.requests[0]?.messages[1]?.content).toMatch(
      new RegExp(`^<${fence}>\\n- .*\\n</${fence}>$`, 's'),
    );

    const scores = JSON.parse(readFileSync(join(dir, 'scores.json'), 'utf8')) as Record<
      string,
      Record<'rules' | 'model' | 'rules+model', Score>
    >;
    const all = scores['held-out (all)'];
    expect(all?.rules.messages).toBe(heldOut.length);
    // Right on half of what the rules miss, silent elsewhere: together they beat either alone.
    expect(all?.['rules+model'].micro.f1).toBeGreaterThan(all?.rules.micro.f1 ?? 1);
    expect(all?.['rules+model'].micro.f1).toBeGreaterThan(all?.model.micro.f1 ?? 1);
    expect(all?.['rules+model'].micro.recall.value).toBeGreaterThan(all?.rules.micro.recall.value ?? 1);
    expect(all?.model.micro.precision.value).toBe(1);
    expect(first.out).toMatch(/== rules\+model on held-out \(all\): \d+ messages ==/);
    expect(first.out).toMatch(/询价.*asks_price.*\[\d\.\d\d–\d\.\d\d\]/);

    const report = readFileSync(
      join(dir, 'reports', `${new Date().toISOString().slice(0, 10)}-llm-eval.md`),
      'utf8',
    );
    expect(report).toContain('Model: `fake-model`');
    expect(report).toContain('a model that was not reachable was not measured');
    expect(report).toMatch(/held-out \(all\)\s+rules\+model/);

    // The second run finds every answer in the cache: no request at all, the same figures.
    const second = await evalCommand(args, env);
    expect(second.code).toBe(0);
    expect(fake.requests).toHaveLength(distinctTexts);
    expect(second.out).toContain(`0 requests sent, ${heldOut.length} answers from the cache`);
    const again = JSON.parse(readFileSync(join(dir, 'scores.json'), 'utf8'));
    expect(again['held-out (all)']['rules+model'].micro).toEqual(all?.['rules+model'].micro);
  }, 120_000);
});

describe('the prompt’s labeled examples', () => {
  it('come from the training part only, as the generator chooses them, and the new templates are their .md twins', () => {
    const byId = new Map(set.map((m) => [m.id, m]));
    expect(autoTagExamplesV1.examples.length).toBeGreaterThanOrEqual(8);
    expect(autoTagExamplesV1.examples.length).toBeLessThanOrEqual(12);
    for (const e of autoTagExamplesV1.examples) {
      const m = byId.get(e.id);
      expect(m?.heldOut).toBe(false);
      expect(m?.text).toBe(e.text);
      expect(e.tags).toEqual(goldTags(m as EvalMessage));
    }
    expect(JSON.parse(readFileSync(EXAMPLES_FILE, 'utf8'))).toEqual(JSON.parse(examplesFile(set)));
    expect(autoTagV3.text).toBe(readFileSync(join(ROOT, 'prompts/auto-tag.v3.md'), 'utf8'));
    expect(replyDraftV1.text).toBe(readFileSync(join(ROOT, 'prompts/reply-draft.v1.md'), 'utf8'));
  });
});
