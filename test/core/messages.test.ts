import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminCommands } from '../../src/core/kernel/i18n/commands-admin.ts';
import { customerCommands } from '../../src/core/kernel/i18n/commands-customers.ts';
import { marketingCommands } from '../../src/core/kernel/i18n/commands-marketing.ts';
import { recordCommands } from '../../src/core/kernel/i18n/commands-records.ts';
import { common } from '../../src/core/kernel/i18n/common.ts';
import { dealCommands, dealViews } from '../../src/core/kernel/i18n/deals.ts';
import { LANGS, messages } from '../../src/core/kernel/i18n/index.ts';
import { notices } from '../../src/core/kernel/i18n/notices.ts';
import { reports } from '../../src/core/kernel/i18n/reports.ts';
import { views } from '../../src/core/kernel/i18n/views.ts';
import { webApp } from '../../src/core/kernel/i18n/web-app.ts';

type Entry = { path: string; value: unknown };

/** Every message of a catalogue, by its dotted key (`commands.reply.sent`). */
function entries(node: unknown, path = ''): Entry[] {
  if (typeof node !== 'object' || node === null) return [{ path, value: node }];
  return Object.entries(node).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? entries(value, path ? `${path}.${key}` : key)
      : [{ path: path ? `${path}.${key}` : key, value }],
  );
}

/**
 * An argument that stands in for any parameter: a string, a number, a list (`.length`, `.join`, spread) and an
 * object whose every field is again such an argument. Messages are called with it to see what they print.
 */
const anything: unknown = new Proxy(['1'], {
  get(target, prop, receiver) {
    if (typeof prop === 'symbol' || prop in target) return Reflect.get(target, prop, receiver);
    return anything;
  },
});

function text(value: unknown): unknown {
  if (typeof value !== 'function') return value;
  const said: unknown = value(...Array.from({ length: value.length }, () => anything));
  // A message that is one of its arguments as it is (`stageChoice` in English: the stage's key).
  return said === anything ? String(said) : said;
}

describe('message catalogues', () => {
  const [first, ...others] = LANGS.map((lang) => ({ lang, all: entries(messages(lang)) }));

  it('have the same keys, kinds and parameters in every language', () => {
    const shape = (all: Entry[]) =>
      all.map(
        ({ path, value }) => `${path}: ${typeof value === 'function' ? `(${value.length})` : typeof value}`,
      );
    for (const other of others) expect(shape(other.all)).toEqual(shape(first?.all ?? []));
    expect(first?.all.length).toBeGreaterThan(300);
  });

  it('are put together without one area hiding another’s keys', () => {
    const keys = (areas: object[]) => areas.flatMap((a) => Object.keys(a));
    const top = keys([common.zh, notices.zh, views.zh, dealViews.zh, reports.zh]);
    const commands = keys([
      customerCommands.zh,
      recordCommands.zh,
      dealCommands.zh,
      marketingCommands.zh,
      adminCommands.zh,
      webApp.zh.commands,
    ]);
    expect(new Set(top).size).toBe(top.length);
    expect(new Set(commands).size).toBe(commands.length);
    expect(Object.keys(messages('zh').commands).length).toBe(commands.length);
  });

  it('hold only text, or functions of their parameters that return text', () => {
    for (const { lang, all } of [first, ...others].filter((c) => c !== undefined)) {
      for (const { path, value } of all) {
        expect(['string', 'function'], `${lang} ${path}`).toContain(typeof value);
      }
    }
  });

  it('never say nothing', () => {
    for (const { lang, all } of [first, ...others].filter((c) => c !== undefined)) {
      for (const { path, value } of all) {
        const said = text(value);
        expect(typeof said, `${lang} ${path}`).toBe('string');
        expect((said as string).trim(), `${lang} ${path} is empty`).not.toBe('');
      }
    }
  });

  it('differ between languages where they hold Chinese', () => {
    const en = new Map(others.find((o) => o.lang === 'en')?.all.map((e) => [e.path, text(e.value)]));
    for (const { path, value } of first?.all ?? []) {
      const zh = text(value) as string;
      if (/[\u4e00-\u9fff]/.test(zh)) expect(en.get(path), path).not.toBe(zh);
    }
  });
});

/** Every TypeScript file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : sources(path);
    return d.name.endsWith('.ts') ? [path] : [];
  });
}

const root = join(import.meta.dirname, '../..');
const catalogue = join(root, 'src/core/kernel/i18n');

/** Lines of src/ and adapters/ (outside the catalogues) that match, as `file:line: text`. */
function offending(
  pattern: RegExp,
  allowed: (line: string) => boolean = () => false,
  dirs = ['src', 'adapters'],
) {
  return dirs
    .flatMap((dir) => sources(join(root, dir)))
    .filter((file) => !file.startsWith(catalogue))
    .flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          pattern.test(line) && !allowed(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
}

describe('text for people lives in the catalogues', () => {
  it('has no branch on the language outside them (`lang === "zh" ? … : …`)', () => {
    const branch = /lang(?:uage)?(?:Of\([^)]*\))?\s*[!=]==\s*['"](?:zh|en)['"]/i;
    // Reading or writing a language code is not choosing text: `x !== 'zh' && x !== 'en'`, `x === 'en' ? 'en' : 'zh'`,
    // `lang === 'zh' ? 'zh-CN' : 'en'`.
    const tag = `'(?:zh|en)(?:-[A-Za-z]{2,4})?'`;
    const readsCode = (line: string) =>
      (/!==\s*'zh'/.test(line) && /!==\s*'en'/.test(line)) ||
      new RegExp(`===\\s*${tag}\\s*\\?\\s*${tag}\\s*:\\s*${tag}`).test(line);
    expect(offending(branch, readsCode)).toEqual([]);
  });

  it('has no per-language table of text in the bot outside them (`const x: Record<Lang, …> = {`)', () => {
    expect(offending(/Record<\s*Lang\s*,[^=]*=\s*\{/, undefined, ['src/core', 'adapters'])).toEqual([]);
  });
});
