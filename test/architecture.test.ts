import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The house rules, read from the source itself: the core's layers, what each part may import, where queries live.

const ROOT = resolve(import.meta.dirname, '..');
const CORE = join(ROOT, 'src', 'core');

/** The core's layers, lowest first: a layer imports only from itself and the layers below it. */
const LAYERS = ['ports', 'kernel', 'records', 'reading', 'marketing', 'conversations', 'chat', 'inbound'];

/**
 * Files outside the core, queue and db that still build queries, each waiting for its core function. The list only
 * shrinks: a new file here fails, and so does a listed file that no longer queries (take it off).
 */
const QUERIES_OUTSIDE = new Set([
  'src/cli/demo-data/crm.ts',
  'src/cli/demo-data/customers.ts',
  'src/cli/demo-data/org.ts',
  'src/cli/demo-data/seed.ts',
]);

interface Import {
  file: string;
  spec: string;
  /** The imported file, repository-relative, for relative specifiers. */
  target: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts)$/.test(name) ? [path] : [];
  });
}

const rel = (path: string) => relative(ROOT, path).split(sep).join('/');

/** Every import and re-export of a file (type-only ones too: a type is a dependency of the design). */
function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8');
  const found: Import[] = [];
  // `import … from`, `export … from`, `import('…')` and bare `import '…'`.
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s+'([^']+)'/g;
  for (const m of text.matchAll(pattern)) {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    found.push({
      file: rel(path),
      spec,
      target: spec.startsWith('.') ? rel(resolve(dirname(path), spec)) : null,
    });
  }
  return found;
}

const coreFiles = sourceFiles(CORE);
const layerOf = (repoPath: string) => repoPath.split('/')[2] as string;

describe('the core', () => {
  it('is its layers and nothing else', () => {
    expect(readdirSync(CORE).sort()).toEqual([...LAYERS].sort());
  });

  it('imports nothing from a layer above (type imports included)', () => {
    const upward = coreFiles.flatMap(importsOf).filter((i) => {
      if (!i.target?.startsWith('src/core/')) return false;
      return LAYERS.indexOf(layerOf(i.target)) > LAYERS.indexOf(layerOf(i.file));
    });
    expect(upward.map((i) => `${i.file} → ${i.target}`)).toEqual([]);
  });

  it('has no cycle of folders: no two folders reach each other through their imports', () => {
    const folderOf = (repoPath: string) => repoPath.slice(0, repoPath.lastIndexOf('/'));
    const edges = new Map<string, Set<string>>();
    for (const i of coreFiles.flatMap(importsOf)) {
      if (!i.target?.startsWith('src/core/')) continue;
      const [from, to] = [folderOf(i.file), folderOf(i.target)];
      if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
    const reaches = (from: string, goal: string, seen = new Set<string>()): boolean => {
      for (const next of edges.get(from) ?? []) {
        if (next === goal) return true;
        if (seen.has(next)) continue;
        seen.add(next);
        if (reaches(next, goal, seen)) return true;
      }
      return false;
    };
    const cyclic = [...edges.keys()].filter((folder) => reaches(folder, folder));
    expect(cyclic).toEqual([]);
  });

  it('imports no runtime, web framework or adapter: only itself, db types, prompts, kysely, zod and opencc-js', () => {
    const outside = coreFiles.flatMap(importsOf).filter((i) => {
      if (i.target)
        return !/^(src\/core|db|prompts)\//.test(i.target) || i.target.startsWith('db/migrations');
      return !['kysely', 'zod'].includes(i.spec) && !/^opencc-js(\/|$)/.test(i.spec);
    });
    expect(outside.map((i) => `${i.file} → ${i.spec}`)).toEqual([]);
  });

  it('names no platform: it branches on what adapters declare', () => {
    const named = [...coreFiles, ...sourceFiles(join(ROOT, 'src', 'http'))].flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, n) => (/'(wecom|feishu|telegram)'/.test(line) ? [`${rel(path)}:${n + 1}`] : [])),
    );
    expect(named).toEqual([]);
  });
});

describe('around the core', () => {
  it('adapters reach the core only through its ports', () => {
    const reached = sourceFiles(join(ROOT, 'adapters'))
      .flatMap(importsOf)
      .filter((i) => i.target?.startsWith('src/') && !/^src\/(core\/ports|lib)\//.test(i.target));
    expect(reached.map((i) => `${i.file} → ${i.target}`)).toEqual([]);
  });

  it('the HTTP surface imports no adapter: what it needs of one comes from the wiring', () => {
    const reached = sourceFiles(join(ROOT, 'src', 'http'))
      .flatMap(importsOf)
      .filter((i) => i.target !== null && /^(adapters|src\/playground)\//.test(i.target));
    expect(reached.map((i) => `${i.file} → ${i.target}`)).toEqual([]);
  });

  it('migrations import nothing outside db/: a shipped migration never changes with live code', () => {
    const live = sourceFiles(join(ROOT, 'db', 'migrations'))
      .flatMap(importsOf)
      .filter((i) => (i.target ? !i.target.startsWith('db/') : i.spec !== 'kysely'));
    expect(live.map((i) => `${i.file} → ${i.spec}`)).toEqual([]);
  });

  it('queries are built only in the core, the queue and db (the listed files still waiting excepted)', () => {
    const querying = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'adapters'))]
      .map(rel)
      .filter((path) => !/^src\/(core|queue)\//.test(path))
      .filter((path) =>
        /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`|\bsql</.test(
          readFileSync(join(ROOT, path), 'utf8'),
        ),
      );
    expect(querying.filter((path) => !QUERIES_OUTSIDE.has(path))).toEqual([]);
    expect([...QUERIES_OUTSIDE].filter((path) => !querying.includes(path))).toEqual([]);
  });
});
