import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_DOC_PATH, apiMarkdown, slug } from '../scripts/docs-api.ts';
import { cliCommands } from '../src/cli/commands.ts';
import { loadConfig } from '../src/config.ts';

/**
 * The docs keep up with the code: links resolve, and every configuration variable, `liaison` subcommand and chat
 * command is documented, read from the code itself (the config schema, the CLI registry, the command registry the
 * access matrix reads). docs/api.md is what `npm run docs:api` generates from the OpenAPI document.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG_PAGE = 'docs/deploy/configuration.md';
const CLI_PAGE = 'docs/admin/command-line.md';
const COMMANDS_PAGE = 'docs/user/commands.md';
/** Read by the configuration but set by the environment, not a Liaison setting: documented, not in .env.example. */
const NOT_IN_ENV_EXAMPLE = new Set(['NODE_ENV']);

function markdownFiles(): string[] {
  const found = ['README.md'];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.md')) found.push(path);
    }
  };
  if (existsSync(join(ROOT, 'docs'))) walk('docs');
  return found;
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The text outside fenced code blocks, line numbers kept (fenced lines become empty). */
function prose(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line;
  });
}

/** GitHub's anchors of a file's headings (`-1`, `-2` for repeats), and explicit `<a id>` / `<a name>` targets. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown)) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)?.[1];
    if (heading) {
      const text = heading
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/<[^>]+>/g, '')
        .replace(/[`*]/g, '')
        .replace(/(^|\s)_+|_+(\s|$)/g, '$1$2');
      const base = slug(text);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1] as string);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

function linksOf(file: string, markdown: string): Link[] {
  const links: Link[] = [];
  prose(markdown).forEach((raw, i) => {
    // Code spans are text, not links: blank them out, keeping the brackets around them.
    const line = raw.replace(/`[^`]*`/g, 'code');
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      links.push({ file, line: i + 1, target: m[1] as string });
    const definition = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(line)?.[1];
    if (definition) links.push({ file, line: i + 1, target: definition });
  });
  return links;
}

/** Why a relative link does not resolve, or null when it does. External links are not checked. */
function brokenReason(link: Link): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return null;
  const hash = link.target.indexOf('#');
  const path = decodeURIComponent(hash === -1 ? link.target : link.target.slice(0, hash));
  const anchor = hash === -1 ? null : decodeURIComponent(link.target.slice(hash + 1));
  const target = path === '' ? join(ROOT, link.file) : resolve(join(ROOT, dirname(link.file)), path);
  if (!existsSync(target)) return `${relative(ROOT, target)} does not exist`;
  if (anchor === null || anchor === '') return null;
  if (!target.endsWith('.md')) return null; // anchors into source files (#L12) are GitHub's, not headings
  return anchorsOf(readFileSync(target, 'utf8')).has(anchor)
    ? null
    : `${relative(ROOT, target)} has no heading #${anchor}`;
}

/** Every environment variable the configuration reads: loadConfig run over an environment that records each read. */
function configVariables(): string[] {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get(_, key) {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
    has(_, key) {
      if (typeof key === 'string') read.add(key);
      return false;
    },
  });
  try {
    loadConfig(env);
  } catch {
    // The defaults load; whatever happens, the reads are recorded.
  }
  return [...read].filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k)).sort();
}

/** `liaison <name>` and `liaison <name> <sub>` as each subcommand's usage spells them. */
function cliInvocations(): string[] {
  const found = new Set<string>();
  for (const command of cliCommands) {
    found.add(`liaison ${command.name}`);
    for (const line of command.usage.split('\n')) {
      const m = /^(?:Usage:)?\s*liaison ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/.exec(line);
      if (m?.[1] === command.name) found.add(m[2] ? `liaison ${m[1]} ${m[2]}` : `liaison ${m[1]}`);
    }
  }
  return [...found].sort();
}

/** The chat command registry, imported from wherever the access matrix test imports `allCommands`. */
async function chatCommands(): Promise<Array<{ name: string; aliases: string[] }>> {
  const matrix = 'test/security/access-matrix.test.ts';
  const source = read(matrix);
  const from = /import\s*\{[^}]*\ballCommands\b[^}]*\}\s*from\s*'([^']+)'/.exec(source)?.[1];
  if (!from)
    throw new Error(`${matrix} no longer imports allCommands: point this test at the command registry`);
  const registry = (await import(pathToFileURL(resolve(join(ROOT, dirname(matrix)), from)).href)) as {
    allCommands: () => ReadonlyArray<{ name: string; aliases: string[] }>;
  };
  return registry.allCommands().map((c) => ({ name: c.name, aliases: [...c.aliases] }));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the docs', () => {
  const files = markdownFiles();

  it('link only to files and headings that exist', () => {
    expect(files).toContain('docs/README.md');
    const broken = files
      .flatMap((file) => linksOf(file, read(file)))
      .flatMap((link) => {
        const why = brokenReason(link);
        return why ? [`${link.file}:${link.line} (${link.target}): ${why}`] : [];
      });
    expect(broken, 'broken links').toEqual([]);
  });

  it('keep the README short', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(200);
  });

  it('document every configuration variable, and .env.example lists exactly those the configuration reads', () => {
    const variables = configVariables();
    expect(variables).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'TELEGRAM_BOT_TOKEN', 'ROBOT_HOSTS_ALLOW']),
    );
    const page = read(CONFIG_PAGE);
    const undocumented = variables.filter(
      (v) => !new RegExp(`^\\|\\s*\`${escapeRegExp(v)}\`\\s*\\|`, 'm').test(page),
    );
    expect(undocumented, `variables without a row in ${CONFIG_PAGE}`).toEqual([]);

    const example = [...read('.env.example').matchAll(/^\s*#?\s*([A-Z][A-Z0-9_]*)=/gm)].map(
      (m) => m[1] as string,
    );
    expect(
      variables.filter((v) => !NOT_IN_ENV_EXAMPLE.has(v) && !example.includes(v)),
      'read by the configuration, missing from .env.example',
    ).toEqual([]);
    expect(
      example.filter((v) => !variables.includes(v)),
      'in .env.example, never read by the configuration',
    ).toEqual([]);
  });

  it('document every liaison subcommand', () => {
    const invocations = cliInvocations();
    expect(invocations).toEqual(expect.arrayContaining(['liaison migrate', 'liaison staff add']));
    const page = read(CLI_PAGE);
    const missing = invocations.filter((c) => !new RegExp(`\`${escapeRegExp(c)}(?![\\w-])`).test(page));
    expect(missing, `subcommands missing from ${CLI_PAGE}`).toEqual([]);
  });

  it('document every chat command and every alias', async () => {
    const commands = await chatCommands();
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['help', 'find', 'reply']));
    const page = read(COMMANDS_PAGE);
    const mentioned = (word: string) => new RegExp(`\`/${escapeRegExp(word)}(?=[\\s\`])`).test(page);
    const missing = commands.flatMap((c) =>
      [c.name, ...c.aliases]
        .filter((w) => !mentioned(w))
        .map((w) => (w === c.name ? `/${w}` : `/${w} (/${c.name})`)),
    );
    expect(missing, `commands or aliases missing from ${COMMANDS_PAGE}`).toEqual([]);
  });

  it('include the API reference generated from the current OpenAPI document', async () => {
    const current = existsSync(API_DOC_PATH) ? readFileSync(API_DOC_PATH, 'utf8') : '';
    const fresh = await apiMarkdown();
    expect(current === fresh, 'docs/api.md is out of date: run `npm run docs:api`').toBe(true);
  });
});
