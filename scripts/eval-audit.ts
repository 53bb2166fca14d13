// `npm run eval:audit`: the tools a rule writer uses on the evaluation set's training part (never the held-out
// thirds, so the held-out figures stay a test of text the rules were not written from).
//   terms [--tag 询价] [--worst N]   each term alone: fires, hits, misfires (worst precision first)
//   save <file>                     every training message's tags, before a rule change
//   diff <file>                     tags won and lost since `save`, right or wrong by the settled labels
// `--rules <file>` audits a rule file (as TAG_RULES_FILE takes it) instead of the shipped rules.
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_RULE_SET } from '../src/core/kernel/tagging/default-rules.ts';
import { parseRuleSet, validateRuleSet } from '../src/core/kernel/tagging/rules.ts';
import { loadEvalSet } from './eval/data.ts';
import { auditTerms, diffTags, type TagsById, tagsById } from './eval/term-audit.ts';

const USAGE =
  'usage: npm run eval:audit -- terms [--tag <tag>] [--worst <n>] [--rules <file>]\n' +
  '       npm run eval:audit -- save <file> [--rules <file>]\n' +
  '       npm run eval:audit -- diff <file> [--rules <file>]';

const [command, ...rest] = process.argv.slice(2);
const training = loadEvalSet().filter((m) => !m.heldOut);
const byId = new Map(training.map((m) => [m.id, m]));

function fail(): never {
  console.error(USAGE);
  process.exit(2);
}

function option(name: string): string | undefined {
  const i = rest.indexOf(name);
  if (i < 0) return undefined;
  const value = rest[i + 1];
  if (value === undefined || value.startsWith('--')) fail();
  return value;
}

const rulesFile = option('--rules');
if (rulesFile) rest.splice(rest.indexOf('--rules'), 2);
const ruleSet = rulesFile ? parseRuleSet(readFileSync(rulesFile, 'utf8')) : validateRuleSet(DEFAULT_RULE_SET);

if (command === 'terms') {
  const worst = Number(option('--worst') ?? 40);
  if (!Number.isInteger(worst) || worst < 1) fail();
  const audits = auditTerms(ruleSet, training, option('--tag'));
  const fired = audits.filter((a) => a.fires > 0);
  console.log(
    `${audits.length} terms on ${training.length} training messages; ${audits.length - fired.length} never fire alone`,
  );
  const ranked = fired.sort(
    (a, b) => a.hits / a.fires - b.hits / b.fires || b.misfires.length - a.misfires.length,
  );
  console.log('hits  misfires  tag     rule / term  (misfiring ids)');
  for (const a of ranked.slice(0, worst))
    console.log(
      `${String(a.hits).padStart(4)}  ${String(a.misfires.length).padStart(8)}  ${a.tag.padEnd(4, '　')}  ${a.ruleId} ${a.kind} ${JSON.stringify(a.term)}  (${a.misfires.slice(0, 5).join(' ')})`,
    );
} else if (command === 'save' && rest.length === 1) {
  writeFileSync(rest[0]!, `${JSON.stringify(tagsById(ruleSet, training))}\n`);
  console.log(`tags of ${training.length} training messages saved to ${rest[0]}`);
} else if (command === 'diff' && rest.length === 1) {
  const before = JSON.parse(readFileSync(rest[0]!, 'utf8')) as TagsById;
  const changes = diffTags(before, tagsById(ruleSet, training), training);
  const sum = (won: boolean, right: boolean) =>
    changes.filter((c) => c.won === won && c.right === right).length;
  console.log(
    `${changes.length} tags changed on ${training.length} training messages: won ${sum(true, true)} right and ${sum(true, false)} wrong, lost ${sum(false, true)} right and ${sum(false, false)} wrong`,
  );
  for (const c of changes)
    console.log(
      `${c.won ? '+' : '-'}${c.tag} ${c.right ? 'right' : 'wrong'}  ${c.id}  ${JSON.stringify(byId.get(c.id)!.text)}`,
    );
} else fail();
