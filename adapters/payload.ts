import { z } from 'zod';
import { MalformedPayloadError } from '../src/core/ports/adapter.ts';

/** An id a platform sends as text (WeCom, Feishu): present and not empty, or it cannot name anyone. */
export const textId = z.string().min(1, 'expected a non-empty string, received an empty string');

/** A whole number in the safe range (Telegram ids and times); reported as `expected integer` whatever was there. */
export const integer = z.int({
  error: (issue) => (issue.code === 'invalid_type' ? 'expected integer' : undefined),
});

/** What `schema` read from `value`, or why not: each problem as `path: expected …, received …`. */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Checks `value` against `schema` (defined once, at module level: zod compiles it on first use). The reason names
 * the fields and the kinds found there, never the values: payloads carry customer data, reasons reach the logs.
 */
export function checkPayload<T>(schema: z.ZodType<T>, value: unknown): Checked<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const reasons = result.error.issues.slice(0, 3).map((issue) => describe(issue, value));
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  return { ok: false, reason: `${reasons.join('; ')}${more}` };
}

/** `value` as `schema` reads it, or a MalformedPayloadError `<what>: <field>: expected …, received …`. */
export function readPayload<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const checked = checkPayload(schema, value);
  if (!checked.ok) throw new MalformedPayloadError(`${what}: ${checked.reason}`);
  return checked.value;
}

/** Stored JSON text parsed, or a MalformedPayloadError (the parser's message would quote the text). */
export function parseJsonPayload(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedPayloadError(`${what}: not JSON`);
  }
}

function describe(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.length === 0 ? '(the whole payload)' : pathText(issue.path);
  if (issue.code === 'invalid_type') {
    // A schema's own `expected …` message names the type better than zod's base type (`number` for an integer).
    const expected = /^expected (.+)$/.exec(issue.message)?.[1] ?? issue.expected;
    return `${path}: expected ${expected}, received ${kindOf(valueAt(input, issue.path))}`;
  }
  return `${path}: ${issue.message}`;
}

function pathText(path: PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let at = input;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** The kind of what was found, for the reason: never the value itself. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'non-integer number';
  return typeof value;
}
