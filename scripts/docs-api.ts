/**
 * Writes docs/api.md from the integration API's OpenAPI document, which the app generates from the same zod
 * schemas that validate requests. The app is assembled in-process (default configuration, an in-memory SQLite
 * database, no adapter, no loop started) and asked for `GET /api/docs`, exactly as a client would.
 *
 *   npm run docs:api           rewrite docs/api.md
 *   npm run docs:api -- --check  exit 1 when docs/api.md differs from what the code describes
 *
 * test/docs.test.ts fails when docs/api.md is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openSqlite } from '../db/sqlite.ts';
import { loadConfig } from '../src/config.ts';
import { createLiaison } from '../src/wiring/liaison.ts';

export const API_DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'api.md');

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: Schema | boolean;
  description?: string;
  format?: string;
  pattern?: string;
  default?: unknown;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
};
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** The document `GET /api/docs` serves with the default configuration (no .env is read). */
export async function openApiDocument(): Promise<OpenApiDocument> {
  const config = loadConfig({ API_TOKEN: 'docs-docs-docs-docs-docs', PLAYGROUND: 'off' });
  const db = openSqlite(':memory:');
  try {
    const liaison = createLiaison({
      config,
      db,
      adapters: new Map(),
      clock: { now: () => 0 },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      instanceId: 'docs',
    });
    const res = await liaison.app.request('/api/docs');
    if (res.status !== 200) throw new Error(`GET /api/docs answered ${res.status}`);
    return (await res.json()) as OpenApiDocument;
  } finally {
    await db.destroy();
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const refName = (ref: string) => ref.split('/').pop() ?? ref;
const schemaLink = (name: string) => `[${name}](#${slug(name)})`;
const literal = (v: unknown) => `\`${JSON.stringify(v)}\``;

/** A one-line type: `string`, `integer \| null`, `"a" \| "b"`, `[Customer](#customer)[]`, `object`. */
function typeOf(s: Schema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return schemaLink(refName(s.$ref));
  if (s.enum) return s.enum.map(literal).join(' \\| ');
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives?.every(isObject))
    return `object (one of: ${alternatives.map((v, i) => variantLabel(v, i)).join(', ')})`;
  if (alternatives) return alternatives.map(typeOf).join(' \\| ');
  if (s.allOf) return s.allOf.map(typeOf).join(' & ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return 'any';
  return types
    .map((t) => {
      if (t === 'array') {
        const inner = typeOf(s.items);
        return inner.includes(' ') ? `array of ${inner}` : `${inner}[]`;
      }
      if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
        return `{ [key]: ${typeOf(s.additionalProperties)} }`;
      if (t === 'string' && s.format) return `string (${s.format})`;
      return t;
    })
    .join(' \\| ');
}

/** Limits and defaults, in words. */
function constraints(s: Schema | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    if (lo !== undefined && hi !== undefined) out.push(`${lo}–${hi} ${unit}`.trim());
    else if (lo !== undefined) out.push(`at least ${lo} ${unit}`.trim());
    else if (hi !== undefined) out.push(`at most ${hi} ${unit}`.trim());
  };
  range(s.minLength, s.maxLength, 'characters');
  range(s.minItems, s.maxItems, 'items');
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) {
    if (s.minimum !== undefined) out.push(`${s.minimum}–${s.maximum}`);
    else out.push(`≤ ${s.maximum}`);
  } else if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.exclusiveMaximum !== undefined) out.push(`< ${s.exclusiveMaximum}`);
  if (s.pattern) out.push(`pattern \`${s.pattern}\``);
  if (s.default !== undefined) out.push(`default ${literal(s.default)}`);
  if (s.example !== undefined) out.push(`e.g. ${literal(s.example)}`);
  if (s.items && !s.items.$ref) out.push(...constraints(s.items).map((c) => `each ${c}`));
  return out;
}

const describe = (s: Schema | undefined, extra?: string) =>
  cell([extra ?? s?.description, ...constraints(s).map((c) => `(${c})`)].filter(Boolean).join(' '));

interface Row {
  path: string;
  schema: Schema;
  required: boolean;
}

/** The label of one alternative of a union of objects: its `type` or `kind` constant, else its position. */
function variantLabel(s: Schema, i: number): string {
  for (const key of ['type', 'kind']) {
    const e = s.properties?.[key]?.enum;
    if (e?.length === 1) return String(e[0]);
  }
  return `option ${i + 1}`;
}

const isObject = (s: Schema) =>
  !s.$ref && (s.type === 'object' || (s.properties !== undefined && s.type === undefined));

/** Fields of an inline object, nested objects flattened as `a.b`, arrays of objects as `a[].b`. */
function rowsOf(s: Schema, prefix = '', depth = 0): Row[] {
  const rows: Row[] = [];
  for (const part of s.allOf ?? []) if (!part.$ref) rows.push(...rowsOf(part, prefix, depth));
  const required = new Set(s.required ?? []);
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const path = `${prefix}${name}`;
    rows.push({ path, schema: prop, required: required.has(name) });
    if (depth >= 4) continue;
    const nested = prop.type === 'array' || (Array.isArray(prop.type) && prop.type[0] === 'array');
    const inner = nested ? prop.items : prop;
    if (!inner) continue;
    const at = nested ? `${path}[]` : path;
    if (isObject(inner) || (Array.isArray(inner.type) && inner.type.includes('object') && inner.properties))
      rows.push(...rowsOf(inner, `${at}.`, depth + 1));
    const union = inner.oneOf ?? inner.anyOf;
    if (union?.every((v) => isObject(v)))
      union.forEach((v, i) => {
        rows.push(...rowsOf(v, `${at} (${variantLabel(v, i)}).`, depth + 1));
      });
  }
  return rows;
}

function fieldTable(s: Schema): string[] {
  const rows = rowsOf(s);
  if (rows.length === 0) return [];
  return [
    '| Field | Type | Required | Description |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| \`${cell(r.path)}\` | ${typeOf(r.schema)} | ${r.required ? 'yes' : 'no'} | ${describe(r.schema)} |`,
    ),
  ];
}

function operationSection(method: string, path: string, op: Operation): string[] {
  const lines = [`### \`${method.toUpperCase()} ${path}\``, ''];
  if (op.summary) lines.push(`${op.summary}.`.replace(/\.\.$/, '.'), '');
  if (op.description) lines.push(op.description, '');
  if (Array.isArray(op.security) && op.security.length === 0) lines.push('No token needed.', '');
  if (op.parameters?.length) {
    lines.push(
      '| Parameter | In | Type | Required | Description |',
      '| --- | --- | --- | --- | --- |',
      ...op.parameters.map(
        (p) =>
          `| \`${p.name}\` | ${p.in} | ${typeOf(p.schema)} | ${p.required ? 'yes' : 'no'} | ${describe(p.schema, p.description)} |`,
      ),
      '',
    );
  }
  const request = op.requestBody?.content?.['application/json']?.schema;
  if (request) {
    lines.push(`Request body (JSON${op.requestBody?.required ? '' : ', optional'}): ${typeOf(request)}`, '');
    if (!request.$ref) lines.push(...fieldTable(request), '');
  }
  const responses = Object.entries(op.responses ?? {});
  if (responses.length) {
    lines.push('| Status | Meaning | Body |', '| --- | --- | --- |');
    for (const [status, r] of responses) {
      const body = r.content?.['application/json']?.schema;
      const shown = body && !body.$ref && isObject(body) ? inlineObject(body) : body ? typeOf(body) : '—';
      lines.push(`| ${status} | ${cell(r.description ?? '')} | ${shown} |`);
    }
    lines.push('');
  }
  return lines;
}

/** `{ items: [Customer](#customer)[] }`: a small inline answer on one line. */
function inlineObject(s: Schema): string {
  const fields = Object.entries(s.properties ?? {}).map(
    ([name, prop]) => `${name}${(s.required ?? []).includes(name) ? '' : '?'}: ${typeOf(prop)}`,
  );
  return fields.length ? `{ ${fields.join(', ')} }` : 'object';
}

/** docs/api.md from the document: operations grouped by tag, then every named schema. */
export function renderApiMarkdown(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ method: m, path, op: item[m] as Operation })),
  );
  const tags: string[] = [];
  for (const { op } of operations) {
    const tag = op.tags?.[0] ?? 'other';
    if (!tags.includes(tag)) tags.push(tag);
  }
  const title = (tag: string) => tag.charAt(0).toUpperCase() + tag.slice(1);
  const lines: string[] = [
    '# Integration API reference',
    '',
    '<!-- Generated by scripts/docs-api.ts from the OpenAPI document the app serves at GET /api/docs.',
    '     Do not edit by hand: change the route schemas in src/http/ and run `npm run docs:api`. -->',
    '',
    `${doc.info.title}, OpenAPI ${doc.openapi}. ${doc.info.description ?? ''}`.trim(),
    '',
    'How the API behaves as a whole (the token, data scopes, idempotency keys, errors, body limits) is described in',
    '[the API guide](api-guide.md). The live document is served at `GET /api/docs` by any Liaison with',
    '`API_TOKEN` set; it reflects that server’s configuration (its `LIFECYCLE_STAGES`, for example), while this page',
    'is generated with the defaults.',
    '',
    '## Operations',
    '',
    '| Operation | Summary |',
    '| --- | --- |',
    ...operations.map(
      ({ method, path, op }) =>
        `| [\`${method.toUpperCase()} ${path}\`](#${slug(`${method.toUpperCase()} ${path}`)}) | ${cell(op.summary ?? '')} |`,
    ),
    '',
  ];
  for (const tag of tags) {
    lines.push(`## ${title(tag)}`, '');
    for (const { method, path, op } of operations.filter((o) => (o.op.tags?.[0] ?? 'other') === tag))
      lines.push(...operationSection(method, path, op));
  }
  const schemas = Object.entries(doc.components?.schemas ?? {});
  if (schemas.length) {
    lines.push('## Schemas', '');
    for (const [name, s] of schemas) {
      lines.push(`### ${name}`, '');
      if (s.description) lines.push(s.description, '');
      const named = (s.allOf ?? []).filter((part) => part.$ref).map(typeOf);
      if (named.length) lines.push(`The fields of ${named.join(' and ')}, and:`, '');
      if (isObject(s) || s.allOf) lines.push(...fieldTable(s), '');
      else lines.push(`${typeOf(s)}${constraints(s).length ? ` (${constraints(s).join('; ')})` : ''}.`, '');
    }
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

export async function apiMarkdown(): Promise<string> {
  return renderApiMarkdown(await openApiDocument());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fresh = await apiMarkdown();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(API_DOC_PATH, 'utf8');
    } catch {}
    if (current !== fresh) {
      process.stderr.write('docs/api.md is out of date: run `npm run docs:api`\n');
      process.exit(1);
    }
    process.stdout.write('docs/api.md is up to date\n');
  } else {
    writeFileSync(API_DOC_PATH, fresh);
    process.stdout.write(`wrote docs/api.md (${fresh.split('\n').length - 1} lines)\n`);
  }
}
