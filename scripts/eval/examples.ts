// The labeled examples the auto-tag prompt carries, chosen from the TRAINING part of the evaluation set only (never
// the held-out third), deterministically: `npx tsx scripts/eval/examples.ts` rewrites prompts/auto-tag-examples.v1.json.
// The app bundles that file (prompts/index.ts); it never reads the test fixtures at run time.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EvalMessage, loadEvalSet, TAG_OF } from './data.ts';

/** Where the chosen examples go: a prompt asset, versioned like the prompts. */
export const EXAMPLES_FILE = join(import.meta.dirname, '../../prompts/auto-tag-examples.v1.json');

const WITH_TAGS = 10;
const WITHOUT_TAGS = 2;
const MAX_CHARS = 120;

/** One example: the message's id in the evaluation set, Liaison's tags for its settled labels, its text. */
export interface PromptExample {
  id: string;
  tags: string[];
  text: string;
}

const order = (id: string) => createHash('sha256').update(`auto-tag-examples.v1:${id}`).digest('hex');

/**
 * Walks the training messages in a fixed hashed order, taking one whenever it brings a tag no earlier example has
 * (and every label it carries has a Liaison tag), until ten tags are covered; then two messages with no label, one
 * per language, so the model sees that zero tags is an answer.
 */
export function chooseExamples(set: readonly EvalMessage[]): PromptExample[] {
  const training = set
    // v1 was chosen before the second writers' batch existed; a new batch changes the prompt only with a new version.
    .filter((m) => !m.heldOut && m.batch === 1 && m.text.length <= MAX_CHARS)
    .sort((a, b) => order(a.id).localeCompare(order(b.id)));
  const covered = new Set<string>();
  const chosen: PromptExample[] = [];
  for (const m of training) {
    if (chosen.length >= WITH_TAGS) break;
    const tags = m.labels.map((l) => TAG_OF[l]);
    if (tags.length === 0 || tags.some((t) => t === null)) continue;
    if (tags.every((t) => covered.has(t as string))) continue;
    for (const t of tags) covered.add(t as string);
    chosen.push({ id: m.id, tags: tags as string[], text: m.text });
  }
  for (const lang of ['zh', 'en'].slice(0, WITHOUT_TAGS)) {
    const none = training.find((m) => m.lang === lang && m.labels.length === 0);
    if (none) chosen.push({ id: none.id, tags: [], text: none.text });
  }
  return chosen;
}

/** The file's content: what it is, where it came from, and the examples. */
export function examplesFile(set: readonly EvalMessage[]): string {
  const file = {
    version: 'auto-tag-examples.v1',
    source: 'test/fixtures/intelligence-eval, training part only (scripts/eval/examples.ts)',
    examples: chooseExamples(set),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  writeFileSync(EXAMPLES_FILE, examplesFile(loadEvalSet()));
  console.log(`wrote ${EXAMPLES_FILE}`);
}
