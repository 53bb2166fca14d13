import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type EvalMessage, loadEvalSet } from '../../scripts/eval/data.ts';
import { auditTerms, diffTags, tagsById } from '../../scripts/eval/term-audit.ts';
import type { RuleSet } from '../../src/core/kernel/tagging/rules.ts';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'liaison-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run eval:audit -- <args>` as a rule writer runs it, in its own process. */
function audit(args: string[]) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/eval-audit.ts', ...args], {
      cwd: ROOT,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

const message = (id: string, text: string, labels: EvalMessage['labels']): EvalMessage => ({
  id,
  lang: /[a-z]/i.test(text) ? 'en' : 'zh',
  industry: 'retail',
  text,
  labels,
  heldOut: false,
  batch: 2,
});

const refundRule = (extra: Partial<RuleSet['rules'][number]> = {}): RuleSet => ({
  version: 1,
  rules: [
    {
      id: 'refund.test',
      tag: '退款',
      signals: ['refund'],
      lang: 'zh',
      phrases: ['退款', '退货'],
      negation: true,
      confidence: 0.8,
      ...extra,
    },
  ],
});

const messages = [
  message('m1', '我要退款', ['refund_return']),
  message('m2', '退款多久到账？', []),
  message('m3', '不用退款了，换一个吧', ['after_sales']),
  message('m4', '我想退货', ['refund_return']),
];

describe('the term audit a rule writer runs', () => {
  it('measures each term alone with its rule’s switches: a negated mention is no fire, a wrong one a misfire', () => {
    const [refund, returns] = auditTerms(refundRule(), messages);
    expect(refund).toMatchObject({ term: '退款', kind: 'phrase', fires: 2, hits: 1, misfires: ['m2'] });
    expect(returns).toMatchObject({ term: '退货', fires: 1, hits: 1, misfires: [] });
    // Without the negation switch the same term also fires on 不用退款了.
    const [loose] = auditTerms(refundRule({ negation: false }), messages);
    expect(loose).toMatchObject({ fires: 3, misfires: ['m2', 'm3'] });
  });

  it('tells which tags a rule change won and lost, and whether the labels say they are right', () => {
    const before = tagsById(refundRule(), messages);
    const after = tagsById(refundRule({ phrases: ['退款'], exclude: ['到账'] }), messages);
    expect(diffTags(before, after, messages)).toEqual([
      { id: 'm2', tag: '退款', won: false, right: false },
      { id: 'm4', tag: '退款', won: false, right: true },
    ]);
  });

  it('reads only the training part: no held-out message is counted or named', async () => {
    const set = loadEvalSet();
    const training = set.filter((m) => !m.heldOut).length;
    const heldOutIds = set.filter((m) => m.heldOut).map((m) => m.id);
    const terms = await audit(['terms', '--tag', '退款', '--worst', '500']);
    expect(terms.code, terms.err).toBe(0);
    expect(terms.out).toContain(`on ${training} training messages`);
    const named = new Set(terms.out.match(/\b[ez][a-z]-\d{4}\b/g) ?? []);
    expect(named.size).toBeGreaterThan(0);
    for (const id of heldOutIds) expect(named.has(id)).toBe(false);

    const saved = join(dir, 'tags.json');
    expect((await audit(['save', saved])).code).toBe(0);
    const diff = await audit(['diff', saved]);
    expect(diff.out).toContain(`0 tags changed on ${training} training messages`);
    expect((await audit(['terms', '--worst', 'many'])).code).toBe(2);
  }, 120_000);
});
