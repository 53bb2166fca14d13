// `npm run coverage:postgres`: which data-layer functions ran on PostgreSQL. Runs every suite that loops over
// dialects with the loop kept to PostgreSQL (TEST_DIALECTS=postgres, TEST_DATABASE_URL required), collects V8
// coverage, and lists each function that takes the database (a `Kysely<…>` or the core's deps) and never ran.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

if (!process.env.TEST_DATABASE_URL) {
  console.error('Set TEST_DATABASE_URL=postgres://… (the functions must run on a real PostgreSQL server).');
  process.exit(2);
}
const files = execFileSync('git', [
  'grep',
  '-l',
  '-E',
  'dialectsUnderTest|serverDialectsUnderTest',
  '--',
  'test/*.test.ts',
])
  .toString()
  .trim()
  .split('\n');
console.log(`${files.length} suites loop over dialects; running them on PostgreSQL only…`);
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    ...files,
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reportOnFailure',
    '--coverage.reporter=json',
    '--coverage.reportsDirectory=coverage/postgres',
    '--coverage.include=src/**',
    '--coverage.include=db/**',
  ],
  { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, TEST_DIALECTS: 'postgres' } },
);
if (run.status !== 0) console.error('some suites failed: the figures below still show what ran');

interface FileCoverage {
  fnMap: Record<
    string,
    { name: string; decl: { start: { line: number } }; loc: { start: { line: number } } }
  >;
  f: Record<string, number>;
}
const coverage = JSON.parse(readFileSync('coverage/postgres/coverage-final.json', 'utf8')) as Record<
  string,
  FileCoverage
>;
/** A function takes the database when its signature (the lines up to its body) names Kysely or the core's deps. */
const takesDatabase = (lines: string[], from: number) => {
  const signature =
    lines
      .slice(from - 1, from + 6)
      .join('\n')
      .split(/\)\s*(?::[^{=]+)?\s*(?:=>\s*)?\{/)[0] ?? '';
  return /Kysely<|CoreDeps|\bdeps: |\bcore: /.test(signature);
};
let total = 0;
const missed: string[] = [];
for (const [file, c] of Object.entries(coverage)) {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [id, fn] of Object.entries(c.fnMap)) {
    if (!takesDatabase(lines, fn.decl.start.line)) continue;
    total++;
    if (!c.f[id]) missed.push(`${relative(process.cwd(), file)}:${fn.decl.start.line} ${fn.name}`);
  }
}
console.log(`\n${total - missed.length} of ${total} functions that take the database ran on PostgreSQL.`);
for (const m of missed) console.log(`  not run: ${m}`);
process.exitCode = missed.length === 0 ? 0 : 1;
