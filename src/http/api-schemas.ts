import { type Hook, OpenAPIHono, z } from '@hono/zod-openapi';
import { PLATFORMS } from '../../db/schema.ts';
import type { ApiViewer } from './api-viewer.ts';

/** The context every API route has: the viewer the token acts as (set by the auth middleware). */
export type ApiEnv = { Variables: { apiViewer: ApiViewer } };

/** Every error the API answers: what is wrong, the field at fault when one is, and all messages per field. */
export const ErrorBody = z
  .object({
    error: z.string().openapi({ example: 'invalid body' }),
    field: z
      .string()
      .optional()
      .openapi({ description: 'The first field at fault (`a.b` for a nested one).' }),
    details: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .openapi({ description: 'Messages per top-level field.' }),
    id: z.number().int().optional().openapi({ description: 'The existing customer a duplicate matches.' }),
  })
  .openapi('Error');

/** A documented error answer. */
export const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorBody } },
});

/** A documented JSON answer. */
export const jsonAnswer = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

const targets: Record<string, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
};

/** Shapes every validation failure the same way: 400 `{ error: "invalid <part>", field, details }`. */
export const invalidRequest: Hook<unknown, ApiEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  // An unknown key (a typo such as `phone_number`) is named like any other field.
  const path = issue?.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys.slice(0, 1)] : issue?.path;
  const field = path && path.length > 0 ? path.join('.') : undefined;
  const flat = z.flattenError(result.error);
  const details: Record<string, string[]> = { ...flat.fieldErrors };
  if (flat.formErrors.length > 0) details[''] = flat.formErrors;
  return c.json(
    { error: `invalid ${targets[result.target] ?? result.target}`, ...(field ? { field } : {}), details },
    400,
  );
};

/** A router for a part of the API, with the shared validation answers. */
export const apiRouter = () => new OpenAPIHono<ApiEnv>({ defaultHook: invalidRequest });

export const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `{id}` in a path: a customer id. */
export const CustomerIdParams = z.object({
  id: idSchema.openapi({ param: { name: 'id', in: 'path' }, example: 12 }),
});

/** Optional on POSTs: a retried request with the same key writes once and answers as the first did. */
export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .openapi({
      param: { name: 'Idempotency-Key', in: 'header' },
      description: 'Any unique string (a UUID); a retry with the same key writes nothing new.',
      example: '5b0f4c1e-3f7a-4b7e-9f43-2d1c0a9e8b11',
    }),
});

/** A tag's name, as the API takes it. */
export const TagName = z.string().trim().min(1).max(50).openapi({ example: '高意向' });

export const PlatformSchema = z.enum(PLATFORMS);

export const StaffRef = z.object({ id: z.number().int(), name: z.string() });

/** A customer in a list, and as written by the API. Phones and emails are masked for rep tokens. */
export const CustomerSummary = z
  .object({
    id: z.number().int(),
    name: z.string(),
    company: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    stage: z.string(),
    owner: StaffRef.nullable(),
    tags: z.array(z.string()),
    firstContactAt: z.string().openapi({ format: 'date-time' }),
    lastContactAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('CustomerSummary');

/** Epoch milliseconds as ISO 8601. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));
