import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import packageJson from '../../package.json' with { type: 'json' };

/** Where the API is mounted: the document's paths are the ones a client calls. */
const MOUNTED_AT = '/api';

type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

const documents = new WeakMap<object, OpenApiDocument>();

/**
 * The OpenAPI 3.1 document of the integration API, generated from the routes' schemas once per app: title, the
 * package's version, the bearer scheme every operation needs unless it says otherwise, paths under `/api`. No
 * `servers`: a client uses the host it fetched the document from.
 */
export function apiDocument<E extends Env>(app: OpenAPIHono<E>): OpenApiDocument {
  const known = documents.get(app);
  if (known) return known;
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Liaison integration API',
      version: packageJson.version,
      description:
        'Customers, notes, tags, staff, digests and reports of a Liaison CRM. Every operation but this document ' +
        'needs `Authorization: Bearer <API_TOKEN>`. Errors are `{ "error", "field"?, "details"? }`. Times are ISO 8601.',
    },
    security: [{ bearer: [] }],
  });
  const document = {
    ...generated,
    paths: Object.fromEntries(
      Object.entries(generated.paths ?? {}).map(([p, item]) => [MOUNTED_AT + p, item]),
    ),
  };
  documents.set(app, document);
  return document;
}
