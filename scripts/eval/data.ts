import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The evaluation set: test/fixtures/intelligence-eval/ (how it was written and labeled: its README.md). */
export const EVAL_DIR = join(import.meta.dirname, '../../test/fixtures/intelligence-eval');

/** The writers' label set (GUIDE.md), written without Liaison's tag names. */
export const GOLD_LABELS = [
  'asks_price',
  'price_pushback',
  'wants_to_buy',
  'contract_paperwork',
  'delivery',
  'after_sales',
  'complaint',
  'refund_return',
  'competitor',
  'urgent',
  'angry',
  'hesitant',
  'churn',
  'stop_contact',
] as const;
export type GoldLabel = (typeof GOLD_LABELS)[number];

/** Each label mapped by meaning to the tag Liaison gives for it; null where Liaison has no tag for it (a signal). */
export const TAG_OF: Readonly<Record<GoldLabel, string | null>> = {
  asks_price: '询价',
  price_pushback: '价格异议',
  wants_to_buy: '购买意向',
  contract_paperwork: '合同',
  delivery: '物流',
  after_sales: '售后',
  complaint: '投诉',
  refund_return: '退款',
  competitor: '竞品',
  urgent: '紧急',
  angry: '负面情绪',
  hesitant: '犹豫',
  churn: '流失风险',
  stop_contact: null,
};

/** Labels an owner should hear about at once. */
export const ALERT_WORTHY: ReadonlySet<GoldLabel> = new Set<GoldLabel>([
  'complaint',
  'refund_return',
  'churn',
  'angry',
  'urgent',
]);

export interface EvalMessage {
  id: string;
  lang: 'zh' | 'en';
  industry: string;
  text: string;
  labels: GoldLabel[];
  heldOut: boolean;
  /** Which writers' batch it comes from (1: the first set; 2 on: later writers', see their README). */
  batch: number;
}

function jsonLines<T>(file: string): T[] {
  return readFileSync(join(EVAL_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/** The writers' batches: the first set, and twelve more written on 2026-12-07 by other writers, each in batch-N/ with its
 * writers' two Chinese halves and its English file. */
const BATCHES = [
  { batch: 1, dir: '', messages: ['messages-zh.jsonl', 'messages-en.jsonl'] },
  ...[2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].map((batch) => ({
    batch,
    dir: `batch-${batch}/`,
    messages: ['messages-zh-1.jsonl', 'messages-zh-2.jsonl', 'messages-en.jsonl'],
  })),
];

/**
 * Every message with its settled labels and whether it is in a held-out third, each frozen before the rules changed
 * for its batch.
 */
export function loadEvalSet(): EvalMessage[] {
  return BATCHES.flatMap(({ batch, dir, messages }) => {
    const settled = new Map(
      [`${dir}settled-zh.jsonl`, `${dir}settled-en.jsonl`]
        .flatMap((file) => jsonLines<{ id: string; labels: GoldLabel[] }>(file))
        .map((l) => [l.id, l.labels]),
    );
    const heldOut = new Set(
      JSON.parse(readFileSync(join(EVAL_DIR, `${dir}held-out.json`), 'utf8')).ids as string[],
    );
    return messages
      .flatMap((file) => jsonLines<Omit<EvalMessage, 'labels' | 'heldOut' | 'batch'>>(`${dir}${file}`))
      .map((m) => {
        const labels = settled.get(m.id);
        if (!labels) throw new Error(`${m.id} has no settled labels`);
        for (const label of labels)
          if (!GOLD_LABELS.includes(label)) throw new Error(`${m.id}: unknown label ${label}`);
        return { ...m, labels, heldOut: heldOut.has(m.id), batch };
      });
  });
}
