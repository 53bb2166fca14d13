// Prints the core's folder graph: which folder of src/core imports which (type imports counted apart), and every
// cycle of folders that import each other. `npm run core-graph` (or `-- --types` to count type imports too).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const CORE = resolve(import.meta.dirname, '..', 'src', 'core');
const withTypes = process.argv.includes('--types');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** A file's folder under src/core ("(root)" for files directly in it). */
const folderOf = (path: string) => {
  const dir = relative(CORE, dirname(path)).split(sep).join('/');
  return dir === '' ? '(root)' : dir;
};

const edges = new Map<string, Set<string>>();
for (const file of files(CORE)) {
  const from = folderOf(file);
  edges.set(from, edges.get(from) ?? new Set());
  for (const m of readFileSync(file, 'utf8').matchAll(
    /(?:^|\n)\s*(import|export)(\s+type)?\s([^;]*?)from\s+'(\.[^']+)'/g,
  )) {
    const typeOnly = Boolean(m[2]) || /^\{\s*(type\s+[^,}]+,?\s*)+\}\s*$/.test(m[3] ?? '');
    if (typeOnly && !withTypes) continue;
    const target = resolve(dirname(file), m[4] as string);
    if (!target.startsWith(CORE + sep)) continue;
    const to = folderOf(target);
    if (to !== from) edges.get(from)?.add(to);
  }
}

// Tarjan's strongly connected components: each one of more than one folder is a cycle.
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const onStack = new Set<string>();
const cycles: string[][] = [];
let next = 0;
function visit(v: string): void {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
  }
  if (low.get(v) === index.get(v)) {
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);

const folders = [...edges.keys()].sort();
console.log(
  `src/core: ${folders.length} folders, ${files(CORE).length} files (${withTypes ? 'all' : 'non-type'} imports)`,
);
for (const f of folders) console.log(`  ${f} → ${[...(edges.get(f) ?? [])].sort().join(', ') || '—'}`);
console.log(cycles.length === 0 ? 'no cycles' : `${cycles.length} cycle(s):`);
for (const c of cycles) console.log(`  ${c.length} folders: ${c.join(', ')}`);
